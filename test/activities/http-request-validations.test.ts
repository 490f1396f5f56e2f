/**
 * A request step's validations (SmartESB: run after a successful response;
 * a rule fails when falsy; the failure is recoverable as the rule says; the
 * message may be an expression and reaches a sync caller only with
 * display_message).
 */
import type { ValidationDefinition } from '../../src/config/types';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { activityHarness, failureOf, infoOf, producerConfig, requestInput, STEP, type Harness } from './support';

let remote: FakeRemote;
let harness: Harness;

beforeAll(async () => {
  remote = await startFakeRemote();
  harness = activityHarness(producerConfig(remote.url));
});
afterAll(async () => {
  await harness.close();
  await remote.close();
});
beforeEach(() => remote.reset());

const statusIsOk: ValidationDefinition = {
  rule: `eval: responses['${STEP}']['body']['status'] == 'ok'`,
  message: `eval: 'Remote said ' ~ responses['${STEP}']['body']['status'] ~ ' (HTTP ' ~ responses['${STEP}']['statusCode'] ~ ')'`,
  recoverable: true,
  displayMessage: true,
};

describe('request validations', () => {
  it('return the response when every rule holds', async () => {
    remote.script('POST', '/things', [{ body: { status: 'ok' } }]);
    const { response } = await harness.run(requestInput(remote.url, { validations: [statusIsOk] }));
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('fail retryably with the evaluated message and display flag when a recoverable rule is falsy', async () => {
    remote.script('POST', '/things', [{ body: { status: 'busy' } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url, { validations: [statusIsOk] }), { attempt: 2 }));
    expect(failure).toMatchObject({ type: 'ValidationFailedError', nonRetryable: false, message: 'Remote said busy (HTTP 200)' });
    expect(infoOf(failure)).toMatchObject({ recoverable: true, displayMessage: true, statusCode: 200, attempt: 2, target: 'remote.send' });
  });

  it('fail without retrying when an unrecoverable rule is falsy, keeping display_message off', async () => {
    remote.script('POST', '/things', [{ body: { status: 'rejected' } }]);
    const rule: ValidationDefinition = { ...statusIsOk, recoverable: false, displayMessage: false, message: 'Rejected by remote' };
    const failure = await failureOf(harness.run(requestInput(remote.url, { validations: [rule] })));
    expect(failure).toMatchObject({ type: 'ValidationFailedError', nonRetryable: true, message: 'Rejected by remote' });
    expect(infoOf(failure)).toMatchObject({ recoverable: false, displayMessage: false });
  });

  it('treat PHP-falsy values (0, "0", empty list) as a failed rule', async () => {
    for (const value of [0, '0', []]) {
      remote.script('POST', '/things', [{ body: { value } }]);
      const rule: ValidationDefinition = { rule: `eval: responses['${STEP}']['body']['value']`, recoverable: false, displayMessage: false };
      const failure = await failureOf(harness.run(requestInput(remote.url, { validations: [rule] })));
      expect(failure.type).toBe('ValidationFailedError');
      expect(failure.message).toContain("validation 'eval: responses");
    }
  });

  it('stop at the first failing rule', async () => {
    remote.script('POST', '/things', [{ body: { status: 'ok' } }]);
    const first: ValidationDefinition = { rule: 'eval: 1 == 2', message: 'first', recoverable: false, displayMessage: false };
    const second: ValidationDefinition = { rule: 'eval: 1 == 3', message: 'second', recoverable: true, displayMessage: false };
    expect((await failureOf(harness.run(requestInput(remote.url, { validations: [statusIsOk, first, second] })))).message).toBe('first');
  });

  it('see the step scope: earlier responses, variables, the message body and context with the current attempt', async () => {
    remote.script('POST', '/things', [{ body: { echo: 'abc' } }]);
    const input = requestInput(remote.url, {
      validations: [
        {
          rule: `eval: responses['${STEP}']['body']['echo'] == Expected and vars['Expected'] == body['code'] and responses['login']['body']['ok'] and msg.flow == 'ping' and msg.attempt == 3`,
          recoverable: false,
          displayMessage: false,
        },
      ],
    });
    input.validationScope = {
      ...input.validationScope,
      body: { code: 'abc' },
      vars: { Expected: 'abc' },
      responses: { login: { statusCode: 200, headers: {}, body: { ok: true } } },
    };
    await expect(harness.run(input, { attempt: 3 })).resolves.toMatchObject({ response: { body: { echo: 'abc' } } });
  });

  it('can call the mapper when the step passes its mappings', async () => {
    remote.script('POST', '/things', [{ body: { status: 'ok', id: 9 } }]);
    const rule: ValidationDefinition = {
      rule: `eval: mapper.map(responses['${STEP}']['body'], 'summary')['ident'] == 9`,
      recoverable: false,
      displayMessage: false,
    };
    const input = requestInput(remote.url, { validations: [rule], mappings: { summary: { ident: 'obj.id' } } });
    await expect(harness.run(input)).resolves.toMatchObject({ response: { statusCode: 200 } });
  });

  it('fail without retrying when a rule cannot be evaluated', async () => {
    remote.script('POST', '/things', [{ body: { status: 'ok' } }]);
    const rule: ValidationDefinition = { rule: `eval: mapper.map(body, 'nope') == 1`, recoverable: true, displayMessage: false };
    const failure = await failureOf(harness.run(requestInput(remote.url, { validations: [rule] })));
    expect(failure).toMatchObject({ type: 'ExpressionFailedError', nonRetryable: true });
    expect(failure.message).toContain('could not be evaluated');
  });

  it('are not reached on an HTTP error: the status decides first', async () => {
    remote.script('POST', '/things', [{ status: 404, body: { status: 'ok' } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url, { validations: [statusIsOk] })));
    expect(failure.type).toBe('RemoteClientError');
  });
});
