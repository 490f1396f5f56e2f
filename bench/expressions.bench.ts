// Expression evaluation speed: cached parse vs parsing every time, plus a mapping.
//   npx tsx bench/expressions.bench.ts
import { ExpressionLanguage } from 'expression-language';
import { buildStepScope, createMapper, evaluateExpression } from '../src/expressions';
import { evaluateNode } from '../src/expressions/evaluator';
import { parseExpression } from '../src/expressions/parser';

const RULE = "responses['callback']['statusCode'] == 200 and body.id > 0";
const MESSAGE = "'Unexpected response from Web Api: ' ~ responses['callback']['statusCode']";
const MAPPING = "mapper.map(CallbackMessage, 'callbackToRemoteApi')";

const mapper = createMapper({
  callbackToRemoteApi: { message: 'obj.getMessage()', time: "mapper.formatDate('Y-m-d H:i:s', obj.timestamp)", id: 'obj.id' },
});
const body = { id: 7, message: 'ping', timestamp: '2024-03-05T10:20:30Z' };
const scope = buildStepScope({
  body,
  context: { messageId: 'm', transactionId: 't', flow: 'ping', timestamp: '2024-03-05T10:20:30Z', attempt: 1 },
  vars: { CallbackMessage: body },
  responses: { callback: { statusCode: 200, body: {}, headers: {} } },
  mapper,
});

/** Runs `fn` for about `ms` milliseconds after a warm-up and returns calls per second. */
function rate(fn: () => unknown, ms = 1000): number {
  for (let i = 0; i < 2000; i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 500; i++) fn();
    calls += 500;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
const port = new ExpressionLanguage();
const portValues = { responses: { callback: { statusCode: 200 } }, body };

const results: [string, number][] = [
  [`cached parse     ${RULE}`, rate(() => evaluateExpression(RULE, scope))],
  [`parse every time ${RULE}`, rate(() => evaluateNode(parseExpression(RULE), scope))],
  [`cached parse     ${MESSAGE}`, rate(() => evaluateExpression(MESSAGE, scope))],
  [`parse every time ${MESSAGE}`, rate(() => evaluateNode(parseExpression(MESSAGE), scope))],
  [`cached parse     ${MAPPING} (3 keys)`, rate(() => evaluateExpression(MAPPING, scope))],
  [`expression-language's own evaluate (its cache, unsafe) ${RULE}`, rate(() => port.evaluate(RULE, portValues))],
];

console.log(`Node ${process.version}, evaluations per second:`);
for (const [label, perSecond] of results) console.log(`${format(perSecond)}  ${label}`);
console.log(`cache speed-up on the rule: x${(results[0][1] / results[1][1]).toFixed(0)}`);
