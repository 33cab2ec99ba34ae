import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { batchVersionKey } from '../../src/results';
import { RECIPES } from '../../src/engine/training-engine';
import { createRedis } from '../../src/infra/redis';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { Queues } from '../../src/queues/queues';
import { startChildWorker, waitForWorkerReady, type ChildWorker } from '../support/child-worker';
import { seedSyntheticStore } from '../support/seed-store';
import { waitFor } from '../support/wait-for';
import { createTestContext, type TestContext } from '../support/test-context';

const finished = (r: PipelineRunView | null) =>
  r && ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null;

describe('pipeline across worker processes', () => {
  let ctx: TestContext;
  let dir: string;
  let redis: Redis;
  let queues: Queues;
  let service: QueuePipelineService;
  const workers: ChildWorker[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recs-e2e-'));
    ctx = await createTestContext({ OBJECT_STORE_DIR: dir, WORKER_LOCK_MS: '3000', WORKER_STALLED_CHECK_MS: '1000' });
    redis = createRedis(ctx.config, 'worker');
    queues = new Queues(ctx.config, redis);
    service = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
    await seedSyntheticStore(ctx.db);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await queues.close();
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const spawnWorker = async () => {
    const w = startChildWorker(ctx, { WORKER_LOCK_MS: '3000', WORKER_STALLED_CHECK_MS: '1000' });
    workers.push(w);
    await waitForWorkerReady(w);
    return w;
  };

  const cacheSnapshot = async () => {
    const { rows } = await ctx.db.pool.query<Record<'users' | 'similar' | 'affinity', unknown>>(
      `SELECT (SELECT json_agg(r ORDER BY user_id) FROM (SELECT user_id, recommendations, recipe_name FROM offline_user_recommendations) r) AS users,
              (SELECT json_agg(s ORDER BY product_id) FROM (SELECT product_id, similar_products FROM offline_similar_items) s) AS similar,
              (SELECT json_agg(a ORDER BY user_id) FROM (SELECT user_id, item_affinities FROM offline_item_affinity) a) AS affinity`,
    );
    return rows[0];
  };

  let undisturbed: unknown;

  it('runs every stage in a separate worker process and serves the cache it loads', async () => {
    const worker = await spawnWorker();
    const run = await service.startRun({ recipes: [...RECIPES] });
    const done = await waitFor('the run to finish', async () => finished(await service.getRun(run.id)));
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    for (const stage of [
      'export-datasets',
      'train',
      'batch-infer',
      'load-results',
      'warm-cache',
      'evaluate',
    ] as const) {
      expect(['succeeded', 'skipped']).toContain(done.stages[stage]!.status);
    }
    expect(done.stages['load-results']!.counts).toMatchObject({ failedLines: 0 });
    const { rows: counts } = await ctx.db.pool.query<
      Record<
        'users' | 'ordering' | 'similar' | 'affinity' | 'segments' | 'popular' | 'jobs' | 'allJobs' | 'models',
        number
      >
    >(
      `SELECT (SELECT count(*) FROM offline_user_recommendations)::int AS users,
              (SELECT count(DISTINCT customer_id) FROM order_items)::int AS ordering,
              (SELECT count(*) FROM offline_similar_items)::int AS similar,
              (SELECT count(*) FROM offline_item_affinity)::int AS affinity,
              (SELECT count(*) FROM offline_item_segments)::int AS segments,
              (SELECT count(*) FROM offline_popular_items WHERE scope = 'global')::int AS popular,
              (SELECT count(*) FROM batch_job_metadata WHERE run_id = $1 AND status = 'ACTIVE' AND job_name LIKE 'local-r' || $1 || '-batch-%')::int AS jobs,
              (SELECT count(*) FROM batch_job_metadata WHERE run_id = $1)::int AS "allJobs",
              (SELECT count(*) FROM model_versions WHERE run_id = $1)::int AS models`,
      [run.id],
    );
    expect(counts[0]).toMatchObject({ popular: 1, models: RECIPES.length });
    expect(counts[0]!.users).toBe(counts[0]!.ordering);
    expect(counts[0]!.similar).toBeGreaterThan(0);
    expect(counts[0]!.affinity).toBeGreaterThan(0);
    expect(counts[0]!.segments).toBeGreaterThan(0);
    // One row per batch job, in the engines' one naming scheme and REFERENCE.md's statuses.
    expect(counts[0]).toMatchObject({ jobs: RECIPES.length, allJobs: RECIPES.length });
    const batch = done.stages['load-results']!.counts!.batchVersion;
    expect(await redis.get(batchVersionKey(ctx.config.redis.prefix))).toBe(String(batch));
    undisturbed = await cacheSnapshot();
    await worker.stop('SIGTERM');
  });

  it('a worker killed with SIGKILL mid-stage: the run still completes once, with the same cache', async () => {
    await ctx.db.pool.query('TRUNCATE offline_user_recommendations, offline_similar_items, offline_item_affinity');
    const victim = await spawnWorker();
    const run = await service.startRun({ recipes: [...RECIPES] });
    await waitFor('train to start', async () => (await service.getRun(run.id))?.stages.train?.status === 'running');
    victim.proc.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    const rescuer = await spawnWorker();
    const done = await waitFor('the run to finish after the crash', async () => finished(await service.getRun(run.id)));
    expect(done.status).toBe('succeeded');
    expect(done.stages.train!.attempts).toBeGreaterThanOrEqual(1);
    expect(await cacheSnapshot()).toEqual(undisturbed);
    const { rows } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM model_versions WHERE run_id = $1',
      [run.id],
    );
    expect(rows[0]!.n).toBe(RECIPES.length);
    const { rows: batches } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM cache_batches WHERE run_id = $1',
      [run.id],
    );
    expect(batches[0]!.n).toBe(1);
    await rescuer.stop('SIGTERM');
  });

  it('SIGTERM lets the running stage finish, then the worker exits cleanly; another worker carries on', async () => {
    const worker = await spawnWorker();
    const run = await service.startRun({ recipes: [...RECIPES] });
    await waitFor('train to start', async () => (await service.getRun(run.id))?.stages.train?.status === 'running');
    const exit = await worker.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('shutdown complete');
    const after = (await service.getRun(run.id))!;
    expect(after.stages.train!.status).toBe('succeeded');
    expect(after.stages['batch-infer']!.status).toBe('pending');
    const next = await spawnWorker();
    const done = await waitFor('the run to finish', async () => finished(await service.getRun(run.id)));
    expect(done.status).toBe('succeeded');
    await next.stop('SIGTERM');
  });

  it('UPDATE merges only new and changed customers into the live cache; recorded events become interactions', async () => {
    const worker = await spawnWorker();
    const full = await service.startRun({ recipes: [...RECIPES] });
    expect((await waitFor('the FULL run', async () => finished(await service.getRun(full.id)))).status).toBe(
      'succeeded',
    );
    const before = new Map(
      (
        await ctx.db.pool.query<{ user_id: string; updated_at: Date }>(
          'SELECT user_id, updated_at FROM offline_user_recommendations',
        )
      ).rows.map((r) => [r.user_id, r.updated_at.getTime()]),
    );
    const { rows: some } = await ctx.db.pool.query<{ id: string }>('SELECT id FROM products ORDER BY id LIMIT 3');
    await ctx.db.pool.query(`INSERT INTO customers (id, city, province) VALUES ('newcomer', 'Lahore', 'Punjab')`);
    await ctx.db.pool.query(
      `INSERT INTO events (event_id, user_id, product_id, event_type, event_value, occurred_at, source)
       SELECT 'e-' || p.id, 'newcomer', p.id, 'purchase', 1, now(), 'api' FROM products p WHERE p.id = ANY($1)`,
      [some.map((p) => p.id)],
    );
    const update = await service.startRun({ mode: 'UPDATE', recipes: [...RECIPES] });
    const done = await waitFor('the UPDATE run', async () => finished(await service.getRun(update.id)));
    expect(done.status).toBe('succeeded');
    const { rows: total } = await ctx.db.pool.query<{ n: number }>(
      'SELECT ((SELECT count(*) FROM order_items) + (SELECT count(*) FROM events))::int AS n',
    );
    expect(done.stages['export-datasets']!.counts!.interactions).toBe(total[0]!.n);
    const after = (
      await ctx.db.pool.query<{ user_id: string; updated_at: Date }>(
        'SELECT user_id, updated_at FROM offline_user_recommendations',
      )
    ).rows;
    const changed = after.filter((r) => before.get(r.user_id) !== r.updated_at.getTime()).map((r) => r.user_id);
    expect(changed).toEqual(['newcomer']);
    expect(after).toHaveLength(before.size + 1);
    await worker.stop('SIGTERM');
  });
});
