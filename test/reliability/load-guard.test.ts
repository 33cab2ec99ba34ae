// No bad batch goes live, whichever engine made it: the load-results stage refuses a batch with
// too many failed lines or too little coverage, fails the run with the reason and an alert, and
// the live batch keeps serving; a run an admin started with forceLoad loads it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { PermanentStageError } from '../../src/errors/permanent-stage-error';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { runStage, type StageRunnerDeps } from '../../src/jobs/stage-runner';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { planStages } from '../../src/pipeline/stage-chain';
import { Queues } from '../../src/queues/queues';
import { runKeyOf } from '../../src/queues/registry';
import { batchVersionKey, loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { DEFAULT_LOAD_GUARD, insertStore } from '../support/factories';
import { ScriptedEngine } from '../support/scripted-engine';
import { createTestContext, type TestContext } from '../support/test-context';

const line = (userId: string) => JSON.stringify({ input: { userId }, output: { recommendedItems: ['p1'] } });

describe('the load guard in the load-results stage', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;
  let redis: Redis;
  let queues: Queues;
  let service: QueuePipelineService;
  let deps: StageRunnerDeps;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-guard-'));
    store = new DirectoryObjectStore(dir);
    redis = createRedis(ctx.config, 'worker');
    queues = new Queues(ctx.config, redis);
    service = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
    const users = ['u1', 'u2', 'u3', 'u4'];
    await insertStore(ctx.db, { customers: users.map((id) => ({ id })), products: [{ id: 'p1' }] });
    await store.put('live/user-personalization.jsonl', users.map(line).join('\n'));
    const live = await loadResults(ctx.db, store, {
      runId: 0,
      mode: 'FULL',
      outputs: { 'user-personalization': 'live/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    await redis.set(batchVersionKey(ctx.config.redis.prefix), String(live.batchVersion));
    deps = {
      config: ctx.config,
      db: ctx.db,
      store,
      engine: new ScriptedEngine({ train: [], batchInfer: [] }),
      redis,
      logger: createLogger(ctx.config),
      runs: service.runs,
      enqueuer: queues,
    };
  });

  afterAll(async () => {
    await queues.close();
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const liveUsers = async () =>
    (
      await ctx.db.pool.query<{ user_id: string }>('SELECT user_id FROM offline_user_recommendations ORDER BY 1')
    ).rows.map((r) => r.user_id);

  async function runWithOutput(engine: string, output: string, forceLoad = false): Promise<PipelineRunView> {
    const run = await service.runs.create({
      mode: 'FULL',
      trigger: 'test',
      engine,
      recipes: ['user-personalization'],
      stages: planStages({ syncFirst: false }),
      forceLoad,
    });
    await store.put(`runs/${run.id}/batch/user-personalization.jsonl`, output);
    return run;
  }

  const loadStage = (run: PipelineRunView) =>
    runStage(deps, 'load-results', {
      data: { runId: run.id, runKey: runKeyOf(run) },
      attempt: 1,
      maxAttempts: 3,
      updateProgress: () => Promise.resolve(),
    });

  const mostlyFailed = [line('u1'), '{"input":{"userId":"u2"},"output":null,"error":"user not found"}', '{oops', 'x'];

  it.each(['local', 'aws'])(
    '%s engine: a mostly-failed batch fails the run with the reason; the live batch keeps serving',
    async (engine) => {
      const run = await runWithOutput(engine, mostlyFailed.join('\n'));
      await expect(loadStage(run)).rejects.toBeInstanceOf(PermanentStageError);
      const failed = (await service.getRun(run.id))!;
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe(
        'load-results: load refused: 3 of 4 batch output lines failed (75.0%, limit 1.0%); the live batch keeps serving; to load it anyway start a run with forceLoad (recs pipeline run --force-load)',
      );
      expect(await liveUsers()).toEqual(['u1', 'u2', 'u3', 'u4']);
      const alert = await ctx.db.prisma.alert.findFirst({ where: { kind: 'pipeline_failed', resolvedAt: null } });
      expect(alert?.message).toContain(`pipeline run ${run.id} failed in load-results: load refused`);
    },
  );

  it.each(['local', 'aws'])('%s engine: a batch covering 1 of 4 customers is refused', async (engine) => {
    const run = await runWithOutput(engine, line('u1'));
    await expect(loadStage(run)).rejects.toThrow(/covers 1 customers, 25\.0% of the live batch's 4/);
    expect(await liveUsers()).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('a run started with forceLoad loads the refused batch; the batch version moves', async () => {
    const before = await redis.get(batchVersionKey(ctx.config.redis.prefix));
    const run = await runWithOutput('local', line('u1'), true);
    expect(await loadStage(run)).toBe('done');
    expect(await liveUsers()).toEqual(['u1']);
    expect(await redis.get(batchVersionKey(ctx.config.redis.prefix))).not.toBe(before);
  });
});
