import type { Redis } from 'ioredis';
import { createRedis } from '../../src/infra/redis';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { InvalidPipelineRequestError } from '../../src/pipeline/pipeline-service';
import { UnrecoverableError, type Job } from 'bullmq';
import { registerSchedules, SCHEDULE_NAMES, type ScheduleContext } from '../../src/pipeline/schedules';
import { createLogger } from '../../src/infra/logger';
import { QUEUE, type SchedulerJobData } from '../../src/queues/registry';
import { schedulerHandlers } from '../../src/workers/scheduler-handler';
import { Queues } from '../../src/queues/queues';
import { createTestContext, type TestContext } from '../support/test-context';

describe('schedules', () => {
  let ctx: TestContext;
  let redis: Redis;

  beforeAll(async () => {
    ctx = await createTestContext();
    redis = createRedis(ctx.config, 'worker');
  });
  afterAll(async () => {
    redis.disconnect();
    await ctx.close();
  });

  it('registering at every start-up leaves exactly one scheduler per schedule', async () => {
    for (let restart = 0; restart < 3; restart += 1) {
      const queues = new Queues(ctx.config, redis);
      await registerSchedules(queues, ctx.db, ctx.config);
      await queues.close();
    }
    const queues = new Queues(ctx.config, redis);
    const schedulers = await queues.get('scheduler').getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
      ['alerts', '0 * * * *', 'UTC'],
      ['pipeline', '0 2 1,15 * *', 'UTC'],
      ['prewarm', '0 3 * * 1', 'UTC'],
      ['retune', '0 4 * * 0', 'UTC'],
      ['sync', '0 2 * * *', 'UTC'],
      ['webhook-sweep', '* * * * *', 'UTC'],
    ]);
    // Each scheduler has exactly one pending (delayed) job for its next firing.
    expect(await queues.get('scheduler').getJobCounts('delayed')).toEqual({ delayed: 6 });
    await queues.close();
  });

  it('setSchedule changes a cron, survives re-registration, and rejects bad input', async () => {
    const queues = new Queues(ctx.config, redis);
    const service = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
    await service.setSchedule('pipeline', '0 2 * * 0');
    await registerSchedules(queues, ctx.db, ctx.config);
    const pipeline = (await service.listSchedules()).find((s) => s.name === 'pipeline')!;
    expect(pipeline).toMatchObject({ cron: '0 2 * * 0', enabled: true });
    expect(pipeline.next!.getUTCDay()).toBe(0);
    expect(pipeline.next!.getUTCHours()).toBe(2);
    await expect(service.setSchedule('nightly', '0 2 * * *')).rejects.toBeInstanceOf(InvalidPipelineRequestError);
    await expect(service.setSchedule('pipeline', 'every tuesday')).rejects.toThrow(/invalid cron/);
    expect((await service.listSchedules()).find((s) => s.name === 'pipeline')!.cron).toBe('0 2 * * 0');
    await queues.close();
  });

  it('a firing runs its schedule; one this version does not know fails without retries', async () => {
    const queues = new Queues(ctx.config, redis);
    const pipeline = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
    const scheduleCtx: ScheduleContext = {
      config: ctx.config,
      db: ctx.db,
      redis,
      logger: createLogger(ctx.config),
      pipeline,
      queues,
    };
    const handler = schedulerHandlers(scheduleCtx, { queues, runs: pipeline.runs })[QUEUE.scheduler]!;
    const firing = (kind: string) => ({ data: { kind } }) as unknown as Job<SchedulerJobData>;
    expect(SCHEDULE_NAMES).toEqual(['pipeline', 'sync', 'prewarm', 'alerts', 'webhook-sweep', 'retune']);
    expect(await handler.process(firing('webhook-sweep'))).toEqual({ checked: 0, enqueued: 0, markedFailed: 0 });
    expect(await handler.process(firing('sync'))).toEqual({ skipped: 'no store connector configured' });
    expect(await handler.process(firing('alerts'))).toMatchObject({ raised: expect.any(Array) as unknown });
    // The weekly re-tune starts a FULL run that re-tunes the engine.
    const fired = (await handler.process(firing('retune'))) as { runId: number };
    expect(await pipeline.getRun(fired.runId)).toMatchObject({
      mode: 'FULL',
      retune: true,
      trigger: 'schedule-retune',
    });
    await expect(handler.process(firing('nightly'))).rejects.toBeInstanceOf(UnrecoverableError);
    await queues.close();
  });
});
