// Types for the parts of `expression-language` (2.5.0) we use: its lexer and parser only.
// Deep imports keep the runtime evaluator, the providers and locutus out of workflow bundles.
declare module 'expression-language/lib/Lexer' {
  export interface ElToken {
    type: string;
    value: unknown;
    /** 1-based position of the token in the expression. */
    cursor: number;
    test(type: string, value?: unknown): boolean;
  }
  export interface ElTokenStream {
    expression: string;
    tokens: ElToken[];
    position: number;
    readonly current: ElToken;
    next(): void;
    expect(type: string, value?: unknown, message?: string): void;
    isEOF(): boolean;
  }
  export function tokenize(expression: string): ElTokenStream;
}

declare module 'expression-language/lib/Parser' {
  import type { ElTokenStream } from 'expression-language/lib/Lexer';

  export const IGNORE_UNKNOWN_VARIABLES: number;
  export const IGNORE_UNKNOWN_FUNCTIONS: number;

  export interface ElNode {
    name: string;
    nodes: Record<string, ElNode> | ElNode[];
    attributes: Record<string, unknown>;
    /** Present on ArrayNode / ArgumentsNode. */
    getKeyValuePairs?: () => { key: ElNode; value: ElNode }[];
    /** Present on the ConstantNode naming an attribute after `.` or `?.`. */
    isNullSafe?: boolean;
  }

  export default class Parser {
    constructor(functions?: Record<string, unknown>);
    tokenStream: ElTokenStream;
    parse(stream: ElTokenStream, names?: string[], flags?: number): ElNode;
    parseExpression(precedence?: number): ElNode;
    parseHashExpression(): ElNode;
    parseConditionalExpression(expr: ElNode): ElNode;
  }
}

declare module 'expression-language/lib/SyntaxError' {
  export default class ElSyntaxError extends Error {
    cursor: number;
    expression: string;
  }
}

// The package's own (unsafe) evaluator: used only by bench/ for comparison, never by src/.
declare module 'expression-language' {
  export class ExpressionLanguage {
    evaluate(expression: string, values?: Record<string, unknown>): unknown;
  }
}
