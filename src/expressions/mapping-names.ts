/**
 * Mapping names an expression uses statically (`mapper.map(x, 'name')`,
 * `mapper.mapAll(xs, 'name')`), so the config loader can report unknown ones at load time.
 */
import { walk } from './ast';
import { compileExpression, treeOf } from './engine';

export function mappingNamesReferenced(source: string): string[] {
  const names = new Set<string>();
  walk(treeOf(compileExpression(source)), (node) => {
    if (node.kind !== 'method' || (node.name !== 'map' && node.name !== 'mapAll')) return;
    if (node.target.kind !== 'name' || node.target.name !== 'mapper') return;
    const argument = node.args[1];
    if (argument !== undefined && argument.kind === 'const' && typeof argument.value === 'string') names.add(argument.value);
  });
  return [...names];
}
