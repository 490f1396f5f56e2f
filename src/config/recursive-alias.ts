import { visit, type Document, type Node } from 'yaml';

/**
 * The first alias that sits inside the node it refers to (`a: &x [ *x ]`).
 * YAML allows it, but the document is then infinite: converting it makes a
 * cyclic object, and every recursive walk after that (placeholders, schema,
 * JSON for workflows) overflows the stack. An alias can only name an anchor
 * defined before it, so a cycle always has the anchored node among the
 * alias's ancestors.
 */
export function recursiveAlias(doc: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, alias, ancestors) {
      const target = alias.resolve(doc) as Node | undefined;
      if (target !== undefined && ancestors.includes(target)) {
        found = { name: alias.source, offset: alias.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
