// The train and evaluate stages run on the run's own model: evaluation scores the model trained
// with the run's parameters, and train records one model version per (run, recipe).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createEngine } from '../../src/app/create-engine';
import { loadConfig } from '../../src/config/config';
import { evaluateRun } from '../../src/cli/commands/evaluate.command';
import { readInteractions } from '../../src/engine/local/dataset-reader';
import { paramsFromConfig, type EngineParams } from '../../src/engine/local/engine-params';
import { evaluateRaw } from '../../src/engine/local/evaluation';
import { runLayout, type RecipeName } from '../../src/engine/training-engine';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { evaluate } from '../../src/jobs/evaluate.job';
import { exportDatasets } from '../../src/jobs/export-datasets.job';
import { train } from '../../src/jobs/train.job';
import { RunStore } from '../../src/pipeline/run-store';
import type { StageDeps, StageInput } from '../../src/jobs/stage-types';
import { STAGES } from '../../src/queues/registry';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { seedSyntheticStore } from '../support/seed-store';
import { createTestContext, type TestContext } from '../support/test-context';

const RECIPES: RecipeName[] = ['popularity-count', 'user-personalization'];

describe('train and evaluate stages with non-default engine settings', () => {
  let ctx: TestContext;
  let dir: string;
  let redis: Redis;
  let deps: StageDeps;
  let input: StageInput;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recs-evaluate-'));
    ctx = await createTestContext({
      OBJECT_STORE_DIR: dir,
      LOG_LEVEL: 'silent',
      EVENT_WEIGHTS: 'purchase=1,cart=0.9,view=0.6,return=0',
      RECENCY_HALF_LIFE_DAYS: '20',
      EXCLUDE_PURCHASED: 'false',
      NUM_RESULTS: '7',
      SEED: '5',
    });
    await seedSyntheticStore(ctx.db);
    redis = createRedis(ctx.config, 'worker');
    const logger = createLogger(ctx.config);
    deps = {
      config: ctx.config,
      db: ctx.db,
      store: new DirectoryObjectStore(dir),
      engine: createEngine(ctx.config, { db: ctx.db, logger }),
      redis,
      logger,
    };
    const run = await new RunStore(ctx.db).create({
      mode: 'FULL',
      trigger: 'test',
      engine: 'local',
      recipes: RECIPES,
      stages: [...STAGES],
    });
    input = { run, recipes: RECIPES, layout: runLayout(run.id), progress: () => Promise.resolve() };
    expect(await exportDatasets(deps, input)).toMatchObject({ status: 'done' });
  });

  afterAll(async () => {
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = () =>
    ctx.db.prisma.modelVersion.findMany({ where: { runId: input.run.id }, orderBy: { recipe: 'asc' } });

  it('train records one model version per recipe with the configured parameters, and a rerun keeps those rows', async () => {
    expect(await train(deps, input)).toMatchObject({ status: 'done' });
    const first = await rows();
    expect(first.map((r) => r.recipe)).toEqual([...RECIPES].sort());
    const expected = paramsFromConfig(ctx.config.engine);
    expect(expected).toMatchObject({ numResults: 7, halfLifeDays: 20, excludePurchased: false, seed: 5 });
    for (const r of first) expect(r.params).toEqual(expected);

    expect(await train(deps, input)).toMatchObject({ status: 'done' });
    const again = await rows();
    expect(again.map((r) => [r.id, r.recipe])).toEqual(first.map((r) => [r.id, r.recipe]));
  });

  it("evaluate scores the model the run trained, with the run's parameters, on the run's rows", async () => {
    expect(await evaluate(deps, input)).toMatchObject({ status: 'done' });
    const raw = await readInteractions(await deps.store.get(input.layout.interactions), 'interactions.csv');
    const after = await rows();
    expect(after).toHaveLength(RECIPES.length);
    for (const row of after) {
      const trained = row.params as unknown as EngineParams;
      const metrics = row.metrics as Record<string, unknown>;
      const { evaluation, ...figures } = metrics;
      expect(evaluation).toMatchObject({ split: 'users', k: 10, params: trained });
      expect(figures).toEqual(
        await evaluateRaw(raw, { recipe: row.recipe as RecipeName, split: 'users', k: 10, params: trained }),
      );
    }
  });

  it("`recs evaluate` asks the engine about the newest run's model and stores the figures on that run's row only", async () => {
    const before = await rows();
    const cli = { db: ctx.db, engine: deps.engine, store: deps.store, logger: deps.logger, progress: () => undefined };
    const { runId, versionId, evaluation } = await evaluateRun(cli, {
      recipe: 'user-personalization',
      split: 'time',
      k: 5,
    });
    expect(runId).toBe(input.run.id);
    expect(versionId).toBe(before.find((r) => r.recipe === 'user-personalization')!.id);
    expect(evaluation.method).toMatchObject({ split: 'time', k: 5, params: paramsFromConfig(ctx.config.engine) });
    const after = await rows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.find((r) => r.id === versionId)!.metrics).toMatchObject({ evaluation: { split: 'time', k: 5 } });
    // A recipe the run never trained has no model to score, and no row is made up for it.
    await expect(
      evaluateRun(cli, { recipe: 'similar-items', split: 'users', k: 10, run: input.run.id }),
    ).rejects.toThrow(`run ${input.run.id} has no model version for similar-items`);
    await expect(evaluateRun(cli, { recipe: 'similar-items', split: 'users', k: 10 })).rejects.toThrow(
      'no run has trained similar-items yet',
    );
    expect(await ctx.db.prisma.modelVersion.count()).toBe(RECIPES.length);
  });

  it('`recs evaluate` from a process configured differently still scores with the parameters the run trained with', async () => {
    const trained = (await rows()).find((r) => r.recipe === 'user-personalization')!.params;
    // Today's settings differ from the run's (as after an edit of EVENT_WEIGHTS or NUM_RESULTS).
    const otherConfig = loadConfig(process.env, { DATABASE_SCHEMA: ctx.id, OBJECT_STORE_DIR: dir });
    expect(paramsFromConfig(otherConfig.engine)).not.toEqual(trained);
    const engine = createEngine(otherConfig, { db: ctx.db, logger: deps.logger });
    const cli = { db: ctx.db, engine, store: deps.store, logger: deps.logger, progress: () => undefined };
    const { evaluation } = await evaluateRun(cli, { recipe: 'user-personalization', split: 'users', k: 10 });
    expect(evaluation.method).toMatchObject({ params: trained });
    const raw = await readInteractions(await deps.store.get(input.layout.interactions), 'interactions.csv');
    const params = trained as unknown as EngineParams;
    expect(evaluation.metrics).toEqual(
      await evaluateRaw(raw, { recipe: 'user-personalization', split: 'users', k: 10, params }),
    );
  });
});
