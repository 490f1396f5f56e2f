import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import {
  errorInfoFromFailure,
  NON_RETRYABLE_ERROR_TYPES,
  RemoteClientError,
  RemoteServerError,
  RemoteUnavailableError,
  RequestBuildError,
  ResponseTooLargeError,
  toApplicationFailure,
  ValidationFailedError,
} from '../../src/shared/errors';

function inActivityFailure(cause: Error): ActivityFailure {
  return new ActivityFailure('Activity task failed', 'httpRequest', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
}

describe('typed delivery errors', () => {
  it('carry a stable type, recoverability and structured details', () => {
    expect(new RemoteUnavailableError('x')).toMatchObject({ type: 'RemoteUnavailableError', name: 'RemoteUnavailableError', recoverable: true });
    expect(new RemoteServerError('x', { statusCode: 502 })).toMatchObject({ type: 'RemoteServerError', recoverable: true, statusCode: 502 });
    expect(new RemoteClientError('x', { statusCode: 404 })).toMatchObject({ recoverable: false, statusCode: 404 });
    expect(new RemoteClientError('x', { statusCode: 408 })).toMatchObject({ recoverable: true });
    expect(new RemoteClientError('x', { statusCode: 429 })).toMatchObject({ recoverable: true });
    expect(new ResponseTooLargeError('x')).toMatchObject({ recoverable: false });
    expect(new RequestBuildError('x')).toMatchObject({ recoverable: false });
    expect(new ValidationFailedError('bad', { recoverable: true, displayMessage: true })).toMatchObject({ recoverable: true, displayMessage: true });
  });

  it('list only always-permanent types as non-retryable, so 408/429 and recoverable validations still retry', () => {
    expect(NON_RETRYABLE_ERROR_TYPES).toEqual(expect.arrayContaining(['ResponseTooLargeError', 'RequestBuildError']));
    expect(NON_RETRYABLE_ERROR_TYPES).not.toContain('RemoteClientError');
    expect(NON_RETRYABLE_ERROR_TYPES).not.toContain('ValidationFailedError');
  });
});

describe('toApplicationFailure', () => {
  it('makes a retryable failure with the next retry delay for a recoverable error', () => {
    const failure = toApplicationFailure(new RemoteServerError('POST http://h/p answered 503', { statusCode: 503, target: 'r.m' }), {
      attempt: 2,
      nextRetryDelayMs: 1500,
    });
    expect(failure).toMatchObject({ type: 'RemoteServerError', nonRetryable: false, nextRetryDelay: 1500, message: 'POST http://h/p answered 503' });
    expect(failure.details).toEqual([
      { type: 'RemoteServerError', message: 'POST http://h/p answered 503', recoverable: true, displayMessage: false, statusCode: 503, target: 'r.m', attempt: 2 },
    ]);
  });

  it('makes a non-retryable failure, without a delay, for an unrecoverable error', () => {
    const failure = toApplicationFailure(new RemoteClientError('gone', { statusCode: 404 }), { attempt: 1, nextRetryDelayMs: 1000 });
    expect(failure.nonRetryable).toBe(true);
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it('keeps an unexpected error retryable, as Temporal treats plain errors', () => {
    const failure = toApplicationFailure(new TypeError('boom'), { attempt: 1 });
    expect(failure).toMatchObject({ type: 'UnexpectedError', nonRetryable: false, message: 'boom' });
  });
});

describe('errorInfoFromFailure', () => {
  const failure = toApplicationFailure(
    new ValidationFailedError('Unexpected response: 201', { recoverable: false, displayMessage: true, statusCode: 201, target: 'r.m' }),
    { attempt: 3 },
  );
  const expected = { type: 'ValidationFailedError', message: 'Unexpected response: 201', recoverable: false, displayMessage: true, statusCode: 201, target: 'r.m', attempt: 3 };

  it('reads the details back through ActivityFailure -> ApplicationFailure', () => {
    expect(errorInfoFromFailure(inActivityFailure(failure))).toEqual(expected);
  });

  it('reads them through ChildWorkflowFailure -> ApplicationFailure -> ActivityFailure -> ApplicationFailure', () => {
    const wrapped = ApplicationFailure.create({ type: 'CallbackFailed', message: 'callback failed', cause: inActivityFailure(failure) });
    const child = new ChildWorkflowFailure('default', { workflowId: 'w', runId: 'r' }, 'CallbackWorkflow', RetryState.NON_RETRYABLE_FAILURE, wrapped);
    expect(errorInfoFromFailure(child)).toEqual(expected);
  });

  it('describes a failure without our details from its own fields', () => {
    const plain = ApplicationFailure.create({ type: 'Other', message: 'nope', nonRetryable: true });
    expect(errorInfoFromFailure(inActivityFailure(plain))).toEqual({ type: 'Other', message: 'nope', recoverable: false, displayMessage: false });
  });

  it('treats an activity timeout as recoverable (the remote never answered)', () => {
    const timeout = new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE);
    expect(errorInfoFromFailure(inActivityFailure(timeout))).toMatchObject({ type: 'TimeoutFailure', recoverable: true });
  });

  it('never throws on a non-error value', () => {
    expect(errorInfoFromFailure('weird')).toMatchObject({ type: 'UnexpectedError', message: 'weird', recoverable: false });
  });
});
