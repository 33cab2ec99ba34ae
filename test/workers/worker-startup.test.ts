import { Queue } from 'bullmq';
import { buildServices, type Services } from '../../src/app/services';
import { WorkerStartupError } from '../../src/errors/worker-startup-error';
import { QUEUE, QUEUE_NAMES } from '../../src/queues/registry';
import { buildHandlerTable, type HandlerSet } from '../../src/workers/handler-table';
import { defaultHandlers, startWorkers } from '../../src/workers/worker-process';
import { createTestContext, type TestContext } from '../support/test-context';

const noop = { process: () => Promise.resolve(undefined) };

describe('worker start-up', () => {
  let ctx: TestContext;
  let services: Services;

  beforeAll(async () => {
    ctx = await createTestContext();
    services = buildServices(ctx.config);
  });
  afterAll(async () => {
    await services.close();
    await ctx.close();
  });

  it('gives every queue of the registry exactly one handler', () => {
    const table = buildHandlerTable(defaultHandlers(services, 1));
    expect(Object.keys(table).sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it('refuses to start when a queue has no handler, naming it, and starts no worker', async () => {
    const withoutWebhooks = defaultHandlers(services, 1).map((set) => {
      const { [QUEUE.webhooks]: _dropped, ...rest } = set;
      return rest;
    });
    const started = startWorkers(services, { queues: QUEUE_NAMES, concurrency: 1, handlers: withoutWebhooks });
    await expect(started).rejects.toBeInstanceOf(WorkerStartupError);
    await expect(started).rejects.toMatchObject({ code: 'HANDLER_MISSING', queues: [QUEUE.webhooks] });
    await expect(started).rejects.toThrow(`no handler for queue(s) ${QUEUE.webhooks}`);
    // The check runs before any Worker exists: not even the queues that had handlers are worked.
    const train = new Queue(QUEUE.train, { connection: services.queueRedis, prefix: ctx.config.redis.prefix });
    expect(await train.getWorkers()).toEqual([]);
    await train.close();
  });

  it('refuses to start when a queue has two handlers, naming it', async () => {
    const twice: HandlerSet = { [QUEUE.eventsForward]: noop };
    const started = startWorkers(services, {
      queues: [QUEUE.train],
      concurrency: 1,
      handlers: [...defaultHandlers(services, 1), twice],
    });
    await expect(started).rejects.toMatchObject({
      code: 'HANDLER_DUPLICATE',
      queues: [QUEUE.eventsForward],
      permanent: true,
    });
    await expect(started).rejects.toThrow(`more than one handler for queue(s) ${QUEUE.eventsForward}`);
  });

  it('checks the whole registry, not only the queues this process works', () => {
    expect(() => buildHandlerTable([{ [QUEUE.train]: noop }])).toThrow(WorkerStartupError);
  });
});
