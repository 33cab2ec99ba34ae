// No run is ever stuck: a run whose current stage has no live job (its worker killed three
// times, its job lost in a Redis restart, its first job never queued) is failed with the reason
// and an alert, and the next run starts. Real worker processes, real kills, a real Redis restart
// (of a redis-server of the test's own).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config';
import { createRedis } from '../../src/infra/redis';
import { RunEnqueueError, type PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { SCHEDULES } from '../../src/pipeline/schedules';
import { Queues } from '../../src/queues/queues';
import { QUEUE, runKeyOf } from '../../src/queues/registry';
import { startChildWorker, startHangingWorker, waitForWorkerReady, type ChildWorker } from '../support/child-worker';
import { TRAIN_STARTED } from '../support/hanging-engine';
import { startOwnRedis, type OwnRedis } from '../support/own-redis';
import { seedSyntheticStore } from '../support/seed-store';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

// Short locks and a fast sweep, so each scenario takes seconds; the rules are the production ones.
const FAST = {
  WORKER_LOCK_MS: '2000',
  WORKER_STALLED_CHECK_MS: '500',
  RUN_SWEEP_INTERVAL_MS: '500',
  STUCK_RUN_GRACE_MS: '1500',
};

const finished = (r: PipelineRunView | null) =>
  r && ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null;

async function activeAlert(ctx: TestContext, runId: number) {
  const { rows } = await ctx.db.pool.query<{ message: string }>(
    `SELECT message FROM alerts WHERE kind = 'pipeline_failed' AND resolved_at IS NULL AND run_id = $1`,
    [runId],
  );
  return rows[0] ?? null;
}

interface Harness {
  ctx: TestContext;
  dir: string;
  redis: Redis;
  queues: Queues;
  service: QueuePipelineService;
  workers: ChildWorker[];
  close(): Promise<void>;
}

async function harness(overrides: Record<string, string> = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recs-stuck-'));
  const ctx = await createTestContext({ OBJECT_STORE_DIR: dir, ...FAST, ...overrides });
  const redis = createRedis(ctx.config, 'worker');
  const queues = new Queues(ctx.config, redis);
  const service = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
  await seedSyntheticStore(ctx.db);
  const workers: ChildWorker[] = [];
  return {
    ctx,
    dir,
    redis,
    queues,
    service,
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.stop('SIGKILL')));
      await queues.close();
      redis.disconnect();
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function spawn(h: Harness, make: () => ChildWorker): Promise<ChildWorker> {
  const w = make();
  h.workers.push(w);
  await waitForWorkerReady(w);
  return w;
}

describe('a worker killed three times in train', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('fails its run with the reason and an alert; the next run starts and succeeds', async () => {
    let victim = await spawn(h, () => startHangingWorker(h.ctx, FAST));
    const run = await h.service.startRun({ recipes: ['popularity-count'] });
    for (let kill = 1; kill <= 3; kill += 1) {
      await waitFor(`train to start (time ${kill})`, () => Promise.resolve(victim.output().includes(TRAIN_STARTED)));
      // The next worker is up before the kill: it takes the job over as soon as the lock expires.
      const next = await spawn(h, () => (kill < 3 ? startHangingWorker(h.ctx, FAST) : startChildWorker(h.ctx, FAST)));
      victim.proc.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      victim = next;
    }
    const failed = await waitFor('the run to fail', async () => finished(await h.service.getRun(run.id)), 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^train: job train-run-\S+ failed: its worker died mid-stage too many times/);
    expect(failed.stages.train).toMatchObject({ status: 'failed' });
    expect((await activeAlert(h.ctx, run.id))?.message).toContain(`pipeline run ${run.id} failed in train`);

    const next = await h.service.startRun({ recipes: ['popularity-count'] });
    const done = await waitFor('the next run', async () => finished(await h.service.getRun(next.id)));
    expect(done.status).toBe('succeeded');
    // A run that gets through clears the failure alert (just after it is marked succeeded).
    await waitFor('the failure alert to be resolved', async () => (await activeAlert(h.ctx, run.id)) === null);
  });
});

describe('Redis (a server of our own) restarted or down', () => {
  let own: OwnRedis;
  let h: Harness;
  beforeAll(async () => {
    own = await startOwnRedis();
    h = await harness({ REDIS_URL: own.url, ENQUEUE_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await own.start();
    await h.close();
    await own.stop();
  });

  it('right after a stage finished: the lost job fails its run, the schedules come back, the next run succeeds', async () => {
    // Only export-datasets is consumed, so the train job it queues waits in Redis when Redis goes.
    await spawn(h, () => startChildWorker(h.ctx, FAST, ['--queues', QUEUE.exportDatasets]));
    const sweeper = await spawn(h, () =>
      startChildWorker(h.ctx, { ...FAST, SCHEDULES_ENABLED: 'true' }, ['--queues', QUEUE.scheduler]),
    );
    const run = await h.service.startRun({ recipes: ['popularity-count'] });
    await waitFor('train to be queued', async () => {
      const r = await h.service.getRun(run.id);
      if (r?.stages['export-datasets']?.status !== 'succeeded') return false;
      return (await h.queues.stageJob(QUEUE.train, runKeyOf(r))).state === 'waiting';
    });
    expect(await h.queues.get(QUEUE.scheduler).getJobSchedulersCount()).toBe(SCHEDULES.length);

    await own.stop();
    await own.start();
    const failed = await waitFor('the sweep to fail the run', async () => finished(await h.service.getRun(run.id)));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^train: no live job: train-run-\S+ is not in Redis/);
    expect(await activeAlert(h.ctx, run.id)).not.toBeNull();
    await waitFor('the job schedulers to be re-registered', async () =>
      (await h.queues.get(QUEUE.scheduler).getJobSchedulersCount()) === SCHEDULES.length ? true : null,
    );
    expect(sweeper.output()).toContain('re-registering');

    await spawn(h, () => startChildWorker(h.ctx, FAST));
    const next = await h.service.startRun({ recipes: ['popularity-count'] });
    const done = await waitFor('the next run', async () => finished(await h.service.getRun(next.id)));
    expect(done.status).toBe('succeeded');
    await Promise.all(h.workers.map((w) => w.stop('SIGTERM')));
  });

  it('down when a run starts: the run row is failed at once with the reason; the next start works', async () => {
    await own.stop();
    const started = Date.now();
    const attempt = h.service.startRun({ recipes: ['popularity-count'] });
    await expect(attempt).rejects.toBeInstanceOf(RunEnqueueError);
    await expect(attempt).rejects.toThrow(/could not queue its first job: Redis did not take the job within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const [latest] = await h.service.listRuns({ first: 1 });
    expect(latest).toMatchObject({ status: 'failed' });
    expect(latest!.error).toMatch(/^export-datasets: could not queue its first job/);
    expect(await activeAlert(h.ctx, latest!.id)).not.toBeNull();

    await own.start();
    const again = await h.service.startRun({ recipes: ['popularity-count'] });
    expect(again.id).toBeGreaterThan(latest!.id);
    expect((await h.queues.stageJob(QUEUE.exportDatasets, runKeyOf(again))).state).toBe('waiting');
  });
});

describe('config', () => {
  it('has production defaults: a sweep every minute, two minutes of grace, 10 s to queue', () => {
    expect(loadConfig({}).pipeline).toMatchObject({
      sweepIntervalMs: 60_000,
      stuckGraceMs: 120_000,
      enqueueTimeoutMs: 10_000,
    });
  });
});
