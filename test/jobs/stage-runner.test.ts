import { ModelVersionStore } from '../../src/engine/model-version-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { runStage, type StageJob, type StageRunnerDeps } from '../../src/jobs/stage-runner';
import { PermanentStageError } from '../../src/errors/permanent-stage-error';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { Queues } from '../../src/queues/queues';
import { runKeyOf, stageJobId, type StageJobData, type StageName } from '../../src/queues/registry';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { insertStore } from '../support/factories';
import { ScriptedEngine } from '../support/scripted-engine';
import { createTestContext, type TestContext } from '../support/test-context';

const model = { recipe: 'popularity-count' as const, params: {}, dataSnapshot: {} };

describe('runStage', () => {
  let ctx: TestContext;
  let dir: string;
  let redis: Redis;
  let queues: Queues;
  let service: QueuePipelineService;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-runner-'));
    redis = createRedis(ctx.config, 'worker');
    queues = new Queues(ctx.config, redis);
    service = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
    await insertStore(ctx.db, {
      customers: [{ id: 'u1' }],
      products: [{ id: 'p1' }],
      lines: [{ customer: 'u1', product: 'p1' }],
    });
  });

  afterAll(async () => {
    await queues.close();
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  function deps(engine: ScriptedEngine): StageRunnerDeps {
    return {
      config: ctx.config,
      db: ctx.db,
      store: new DirectoryObjectStore(dir),
      engine,
      redis,
      logger: createLogger(ctx.config),
      runs: service.runs,
      enqueuer: queues,
    };
  }

  const job = (run: PipelineRunView, attempt = 1, poll?: StageJob['data']['poll']): StageJob => ({
    data: { runId: run.id, runKey: runKeyOf(run), poll },
    attempt,
    maxAttempts: 3,
    updateProgress: () => Promise.resolve(),
  });

  async function jobState(stage: StageName, run: PipelineRunView, poll?: number) {
    const j = (await queues.get(stage).getJob(stageJobId(stage, runKeyOf(run), poll))) as Job<StageJobData> | undefined;
    return j ? { state: await j.getState(), data: j.data, delay: j.opts.delay } : null;
  }

  async function finish(runId: number) {
    await service.runs.setStatus(runId, 'succeeded');
  }

  it('runs a stage, records its counts and timing, and enqueues the next stage once', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    expect(await jobState('export-datasets', run)).toMatchObject({ state: 'waiting' });
    const d = deps(new ScriptedEngine({ train: [], batchInfer: [] }));
    expect(await runStage(d, 'export-datasets', job(run))).toBe('done');
    // A redelivery of the same job (after a crash) does not run the stage again.
    expect(await runStage(d, 'export-datasets', job(run))).toBe('ignored');
    const after = (await service.getRun(run.id))!;
    expect(after.status).toBe('running');
    expect(after.stages['export-datasets']).toMatchObject({
      status: 'succeeded',
      progress: 100,
      counts: { interactions: 1, items: 1, users: 1 },
    });
    expect(after.stages['export-datasets']!.durationMs).toBeGreaterThanOrEqual(0);
    expect(await jobState('train', run)).toMatchObject({
      state: 'waiting',
      data: { runId: run.id, runKey: runKeyOf(run) },
    });
    expect(await queues.get('train').getJobCounts('waiting')).toEqual({ waiting: 1 });
    await finish(run.id);
  });

  it('re-checks long external work through delayed jobs that carry the state', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const engine = new ScriptedEngine({
      train: [
        { status: 'waiting', recheckAfterMs: 60_000, state: { arn: 'sv-1' }, message: 'training on AWS' },
        { status: 'done', result: { models: [model] } },
      ],
      batchInfer: [],
    });
    expect(await runStage(deps(engine), 'train', job(run))).toBe('waiting');
    const waiting = (await service.getRun(run.id))!;
    expect(waiting.status).toBe('waiting');
    expect(waiting.stages.train).toMatchObject({ status: 'waiting', message: 'training on AWS' });
    const recheck = await jobState('train', run, 1);
    expect(recheck).toMatchObject({
      state: 'delayed',
      delay: 60_000,
      data: { runId: run.id, runKey: runKeyOf(run), poll: { attempt: 1, state: { arn: 'sv-1' } } },
    });

    expect(await runStage(deps(engine), 'train', job(run, 1, recheck!.data.poll))).toBe('done');
    expect(engine.calls).toEqual([
      { step: 'train', state: undefined },
      { step: 'train', state: { arn: 'sv-1' } },
    ]);
    expect((await service.getRun(run.id))!.stages.train).toMatchObject({ status: 'succeeded', counts: { models: 1 } });
    expect(await ctx.db.prisma.modelVersion.count({ where: { runId: run.id } })).toBe(1);
    expect(await jobState('batch-infer', run)).toMatchObject({ state: 'waiting' });
    await finish(run.id);
  });

  it('keeps the run alive through a transient failure, and fails it on the last attempt', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const engine = new ScriptedEngine({
      train: [new Error('connection reset'), new Error('connection reset')],
      batchInfer: [],
    });
    await expect(runStage(deps(engine), 'train', job(run, 1))).rejects.toThrow('connection reset');
    let state = (await service.getRun(run.id))!;
    expect(state.status).toBe('running');
    expect(state.stages.train).toMatchObject({ status: 'running', error: 'connection reset' });

    await expect(runStage(deps(engine), 'train', job(run, 3))).rejects.toThrow('connection reset');
    state = (await service.getRun(run.id))!;
    expect(state.status).toBe('failed');
    expect(state.error).toBe('train: connection reset');
    expect(state.stages.train).toMatchObject({ status: 'failed' });
    const alert = await ctx.db.prisma.alert.findFirst({ where: { kind: 'pipeline_failed', resolvedAt: null } });
    expect(alert?.message).toContain(`run ${run.id} failed in train`);
  });

  it('clears the error of a failed attempt when a retry succeeds', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const engine = new ScriptedEngine({
      train: [new Error('connection reset'), { status: 'done', result: { models: [model] } }],
      batchInfer: [],
    });
    try {
      await expect(runStage(deps(engine), 'train', job(run, 1))).rejects.toThrow('connection reset');
      expect((await service.getRun(run.id))!.stages.train).toMatchObject({ error: 'connection reset' });

      expect(await runStage(deps(engine), 'train', job(run, 2))).toBe('done');
      const train = (await service.getRun(run.id))!.stages.train!;
      expect(train.status).toBe('succeeded');
      expect(train).not.toHaveProperty('error');
      // The stored row itself, not only the view, has no error left.
      const { rows } = await ctx.db.pool.query<{ error: unknown }>(
        `SELECT stages -> 'train' -> 'error' AS error FROM pipeline_runs WHERE id = $1`,
        [run.id],
      );
      expect(rows[0]!.error).toBeNull();
    } finally {
      await finish(run.id);
    }
  });

  it('fails the run at once on a permanent error', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const engine = new ScriptedEngine({
      train: [new PermanentStageError('fewer than 1,000 interactions')],
      batchInfer: [],
    });
    await expect(runStage(deps(engine), 'train', job(run, 1))).rejects.toBeInstanceOf(PermanentStageError);
    const state = (await service.getRun(run.id))!;
    expect(state.status).toBe('failed');
    expect(state.error).toBe('train: fewer than 1,000 interactions');
  });

  it('a run that succeeds resolves the failure alert of an earlier one', async () => {
    expect(await ctx.db.prisma.alert.count({ where: { kind: 'pipeline_failed', resolvedAt: null } })).toBe(1);
    const run = await service.startRun({ recipes: ['popularity-count'] });
    for (const stage of ['export-datasets', 'train', 'batch-infer', 'load-results', 'warm-cache'] as const) {
      await service.runs.patchStage(run.id, stage, { status: 'succeeded' });
    }
    // What the train stage it skipped would have recorded: evaluate scores only the run's own models.
    await new ModelVersionStore(ctx.db).recordTrained(run.id, 'local', [
      { recipe: 'popularity-count', params: {}, dataSnapshot: {} },
    ]);
    const engine = new ScriptedEngine({ train: [], batchInfer: [] });
    expect(await runStage(deps(engine), 'evaluate', job(run))).toBe('done');
    expect((await service.getRun(run.id))!.status).toBe('succeeded');
    expect(await ctx.db.prisma.alert.count({ where: { kind: 'pipeline_failed', resolvedAt: null } })).toBe(0);
  });

  it('ignores a job left from another incarnation of the same run id (a reset database)', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const engine = new ScriptedEngine({ train: [], batchInfer: [] });
    const stale: StageJob = { ...job(run), data: { runId: run.id, runKey: `${run.id}-old` } };
    expect(await runStage(deps(engine), 'export-datasets', stale)).toBe('ignored');
    expect((await service.getRun(run.id))!.stages['export-datasets']).toEqual({ status: 'pending' });
    await service.cancelRun(run.id);
  });

  it('ignores the jobs of a cancelled run and removes its queued jobs', async () => {
    const run = await service.startRun({ recipes: ['popularity-count'] });
    const cancelled = await service.cancelRun(run.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.stages['export-datasets']).toMatchObject({ status: 'cancelled' });
    expect(await jobState('export-datasets', run)).toBeNull();
    const engine = new ScriptedEngine({ train: [], batchInfer: [] });
    expect(await runStage(deps(engine), 'export-datasets', job(run))).toBe('ignored');
  });
});
