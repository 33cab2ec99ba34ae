// A pipeline under test: its own schema and queue prefix (optionally on a Redis of its own), a
// seeded store, the PipelineService, and the worker processes a scenario spawns, all closed
// together. Shared by test/reliability and bench/chaos.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createRedis } from '../../src/infra/redis';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { Queues } from '../../src/queues/queues';
import { waitForWorkerReady, type ChildWorker } from './child-worker';
import { seedSyntheticStore } from './seed-store';
import { createTestContext, type TestContext } from './test-context';
import { waitFor } from './wait-for';

/** Short locks and a fast sweep, so a scenario takes seconds; the rules are the production ones. */
export const FAST_RECOVERY = {
  WORKER_LOCK_MS: '2000',
  WORKER_STALLED_CHECK_MS: '500',
  RUN_SWEEP_INTERVAL_MS: '500',
  STUCK_RUN_GRACE_MS: '1500',
};

export interface PipelineHarness {
  ctx: TestContext;
  dir: string;
  redis: Redis;
  queues: Queues;
  service: QueuePipelineService;
  workers: ChildWorker[];
  /** Starts a worker process (made by `make`) and waits until it consumes its queues. */
  spawn(make: () => ChildWorker): Promise<ChildWorker>;
  /** Waits until the run has finished (succeeded, failed or cancelled). */
  finished(runId: number, timeoutMs?: number): Promise<PipelineRunView>;
  /** The active pipeline_failed alert of a run, if any. */
  failureAlert(runId: number): Promise<{ message: string } | null>;
  close(): Promise<void>;
}

const isFinished = (r: PipelineRunView | null) =>
  r && ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null;

export async function createPipelineHarness(overrides: Record<string, string> = {}): Promise<PipelineHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recs-harness-'));
  const ctx = await createTestContext({ OBJECT_STORE_DIR: dir, ...FAST_RECOVERY, ...overrides });
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
    async spawn(make) {
      const w = make();
      workers.push(w);
      await waitForWorkerReady(w);
      return w;
    },
    finished: (runId, timeoutMs) =>
      waitFor(`run ${runId} to finish`, async () => isFinished(await service.getRun(runId)), timeoutMs),
    async failureAlert(runId) {
      const { rows } = await ctx.db.pool.query<{ message: string }>(
        `SELECT message FROM alerts WHERE kind = 'pipeline_failed' AND resolved_at IS NULL AND run_id = $1`,
        [runId],
      );
      return rows[0] ?? null;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop('SIGKILL')));
      await queues.close();
      redis.disconnect();
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
