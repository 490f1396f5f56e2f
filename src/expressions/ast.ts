/**
 * Our own expression tree. The parser of `expression-language` builds nodes that carry
 * unsafe evaluate() methods and mutate themselves while evaluating; we convert them once
 * into these immutable plain nodes and evaluate them with our own safe evaluator.
 */
export type ExpressionNode =
  | { readonly kind: 'const'; readonly value: null | boolean | number | string }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'array'; readonly items: readonly ExpressionNode[] }
  | { readonly kind: 'hash'; readonly entries: readonly HashEntry[] }
  | { readonly kind: 'unary'; readonly operator: string; readonly operand: ExpressionNode }
  | { readonly kind: 'binary'; readonly operator: string; readonly left: ExpressionNode; readonly right: ExpressionNode }
  | { readonly kind: 'conditional'; readonly test: ExpressionNode; readonly then: ExpressionNode; readonly otherwise: ExpressionNode }
  | { readonly kind: 'elvis'; readonly test: ExpressionNode; readonly otherwise: ExpressionNode }
  | { readonly kind: 'coalesce'; readonly left: ExpressionNode; readonly right: ExpressionNode }
  | { readonly kind: 'property'; readonly target: ExpressionNode; readonly name: string; readonly nullSafe: boolean }
  | { readonly kind: 'index'; readonly target: ExpressionNode; readonly key: ExpressionNode }
  | {
      readonly kind: 'method';
      readonly target: ExpressionNode;
      readonly name: string;
      readonly args: readonly ExpressionNode[];
      readonly nullSafe: boolean;
    }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ExpressionNode[] };

export interface HashEntry {
  readonly key: ExpressionNode;
  readonly value: ExpressionNode;
}

/** Visits every node, parents before children. */
export function walk(node: ExpressionNode, visit: (node: ExpressionNode) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

function children(node: ExpressionNode): readonly ExpressionNode[] {
  switch (node.kind) {
    case 'const':
    case 'name':
      return [];
    case 'array':
      return node.items;
    case 'hash':
      return node.entries.flatMap((e) => [e.key, e.value]);
    case 'unary':
      return [node.operand];
    case 'binary':
    case 'coalesce':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.then, node.otherwise];
    case 'elvis':
      return [node.test, node.otherwise];
    case 'property':
      return [node.target];
    case 'index':
      return [node.target, node.key];
    case 'method':
      return [node.target, ...node.args];
    case 'call':
      return node.args;
  }
}
