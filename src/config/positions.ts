import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type DocPath = (string | number)[];

export interface Position {
  line: number;
  column: number;
}

/** What a problem points at: the value itself, or the key that introduces it. */
export type Anchor = 'value' | 'key';

/**
 * Finds the line:column of the node at `path` in a parsed YAML document. When
 * the path goes deeper than the document (a missing key), it answers the deepest
 * node that exists, so a "missing key" problem points at the map lacking it.
 */
export function locate(doc: Document, lines: LineCounter, path: DocPath, anchor: Anchor = 'value'): Position {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let keyNode: Node | null = null;
  for (const segment of path) {
    const next = child(doc, node, segment);
    if (!next) break;
    node = next.value;
    keyNode = next.key;
  }
  const target = anchor === 'key' && keyNode ? keyNode : node ?? keyNode;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

interface Child {
  key: Node | null;
  value: Node | null;
}

function child(doc: Document, node: Node | null, segment: string | number): Child | null {
  const resolved = isAlias(node) ? (node.resolve(doc) as Node | undefined) ?? null : node;
  if (isSeq(resolved) && typeof segment === 'number') {
    const item = resolved.items[segment] as Node | undefined;
    return item ? { key: null, value: item } : null;
  }
  if (!isMap(resolved)) return null;
  for (const pair of resolved.items) {
    if (!isPair(pair)) continue;
    const key = pair.key as Node | null;
    const keyValue = isScalar(key) ? key.value : key;
    if (keyValue === '<<') continue;
    if (String(keyValue) === String(segment)) {
      // A `key:` with no value has a null value node: point at the key then.
      return { key, value: (pair.value as Node | null) ?? key };
    }
  }
  return mergedChild(doc, resolved.items, segment);
}

/** Keys brought in by a YAML merge key (`<<: *defaults`), which Symfony YAML supports. */
function mergedChild(doc: Document, items: unknown[], segment: string | number): Child | null {
  for (const pair of items) {
    if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== '<<') continue;
    const sources = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value as Node];
    for (const source of sources) {
      const found = child(doc, source, segment);
      if (found) return found;
    }
  }
  return null;
}
