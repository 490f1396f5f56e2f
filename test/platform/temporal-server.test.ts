import { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { connectClient, connectWorker, uniqueTaskQueue, workflowBundle } from '../harness/temporal';
import * as activities from '../fixtures/activities';
import { SEARCH_ATTRIBUTES } from '../../src/shared/definitions';

describe('the Temporal dev server started by the test harness', () => {
  let client: Client;

  beforeAll(async () => {
    client = await connectClient();
  });

  afterAll(async () => {
    await client.connection.close();
  });

  it('completes a workflow started through the client with a worker', async () => {
    const taskQueue = uniqueTaskQueue();
    const connection = await connectWorker();
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: workflowBundle('fixture-workflows'),
      activities,
    });
    const result = await worker.runUntil(
      client.workflow.execute('greeting', { taskQueue, workflowId: `greeting-${taskQueue}`, args: ['temporal'] }),
    );
    await connection.close();
    expect(result).toBe('hello, temporal');
  });

  it('has the project search attributes registered', async () => {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
  });
});
