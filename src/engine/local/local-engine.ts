// The built-in engine: trains in-process from the three CSV datasets and writes Personalize's
// exact batch output, so the loader and the API never know which engine ran. Never waits.
import { Readable } from 'node:stream';
import type { Config } from '../../config/config';
import type { ObjectStore } from '../../storage/object-store';
import { jobName, type JobMetadata } from '../job-metadata';
import type {
  BatchInferResult,
  BatchOutput,
  EngineContext,
  EvaluationRequest,
  EvaluationResult,
  ModelEvaluation,
  RecipeName,
  StepResult,
  TrainResult,
  TrainedModel,
} from '../training-engine';
import type { TrainingEngine } from '../training-engine';
import {
  computeSegments,
  finishSegments,
  defaultRankingList,
  itemAffinityLines,
  itemAffinityUserLines,
  personalizedRankingLines,
  popularityLines,
  similarItemsLines,
  userPersonalizationLines,
  type LineSource,
} from './batch-output';
import { buildDataset, checkMinimums, type Dataset } from './dataset';
import { readAttributes, readInteractions, type Attributes, type RejectedRow } from './dataset-reader';
import { outputSize, paramsFromConfig, paramsFromRecord, type EngineParams } from './engine-params';
import { evaluateRecipes } from './evaluation';
import { popularityLists, trainModel } from './local-model';
import { loadModel, saveModel } from './model-files';
import { Recommender } from './recommender';
import { poolSize, UserPool } from './user-pool';
import { decideTuning } from '../tuning-policy';
import { tuneForRun } from './tuning/run-tuning';

/** Rejected rows listed in a model's data snapshot (all are logged up to the reader's cap). */
const SNAPSHOT_REJECTIONS = 20;

export function outputKey(outputPrefix: string, name: RecipeName | 'item-affinity-users'): string {
  return `${outputPrefix}${name}.jsonl`;
}

async function readOptional(
  store: ObjectStore,
  key: string,
  idColumn: 'ITEM_ID' | 'USER_ID',
  attr: 'CATEGORY' | 'PROVINCE',
  file: string,
): Promise<Attributes | null> {
  if (!(await store.exists(key))) return null;
  return readAttributes(await store.get(key), file, idColumn, attr);
}

/** Namespace of the built-in engine's job names in batch_job_metadata (AWS's is the dataset group). */
export const LOCAL_JOB_NAMESPACE = 'local';

export class LocalEngine implements TrainingEngine {
  readonly name = 'local' as const;
  /** The one parameter set: training, batch inference and evaluation all use this object. */
  readonly params: EngineParams;

  /** Without `jobs` (unit tests, benches) batch outputs are written but not recorded in batch_job_metadata. */
  private readonly tuning: Config['engine']['tuning'];

  constructor(
    engine: Config['engine'],
    overrides: Partial<EngineParams> = {},
    private readonly jobs?: JobMetadata,
  ) {
    this.params = paramsFromConfig(engine, overrides);
    this.tuning = engine.tuning;
  }

  async train(ctx: EngineContext): Promise<StepResult<TrainResult>> {
    const { store, layout, logger } = ctx;
    await ctx.progress(0, 'reading interactions.csv');
    const raw = await readInteractions(await store.get(layout.interactions), 'interactions.csv');
    const items = await readOptional(store, layout.items, 'ITEM_ID', 'CATEGORY', 'items.csv');
    const users = await readOptional(store, layout.users, 'USER_ID', 'PROVINCE', 'users.csv');
    const rejected: RejectedRow[] = [...raw.rejected, ...(items?.rejected ?? []), ...(users?.rejected ?? [])];
    const rejectedCount = raw.rejectedCount + (items?.rejectedCount ?? 0) + (users?.rejectedCount ?? 0);
    for (const r of rejected)
      logger.warn({ file: r.file, line: r.lineNumber, reason: r.reason }, 'skipped a malformed row');
    if (rejectedCount > rejected.length)
      logger.warn({ more: rejectedCount - rejected.length }, 'more malformed rows skipped');
    checkMinimums(raw);
    // Tuning runs only inside a pipeline run (which passes ctx.tuning); direct calls train as configured.
    const decision = ctx.tuning
      ? decideTuning({
          enabled: this.tuning.enabled,
          retune: ctx.tuning.retune,
          mode: ctx.mode,
          previous: ctx.tuning.previous,
          data: { interactions: raw.length, users: raw.userIds.length, items: raw.itemIds.length },
          retuneChange: this.tuning.retuneChange,
        })
      : ({ action: 'untuned', reason: 'trained outside a pipeline run' } as const);
    if (decision.action === 'tune') await ctx.progress(5, `tuning (budget ${this.tuning.budgetMs / 1000} s)`);
    const { params, tuning } = tuneForRun(raw, this.params, decision, this.tuning.budgetMs, logger);
    await ctx.progress(10, `building the matrix (${raw.length} interactions)`);
    const data = buildDataset(raw, params, items, users);
    const started = Date.now();
    let lastReport = 0;
    // popularity-count alone needs no item model: skip its cost.
    const itemModel = ctx.recipes.some((r) => r !== 'popularity-count');
    const model = trainModel(
      data,
      params,
      (f, message) => {
        // Training is synchronous CPU work; progress lands in the log and, between phases, the run.
        if (Date.now() - lastReport > 2000) {
          lastReport = Date.now();
          logger.info({ percent: Math.round(15 + 75 * f) }, message);
        }
      },
      itemModel,
    );
    await ctx.progress(90, 'saving the model');
    await saveModel(store, layout.modelPrefix, model);
    const snapshot = dataSnapshot(data, raw.eventTypes, rejectedCount, rejected, items !== null, users !== null);
    const trainedAt = new Date().toISOString();
    const models: TrainedModel[] = ctx.recipes.map((recipe) => ({
      recipe,
      params: { ...params },
      tuning,
      // How many products the item model covers depends on the data, not on a setting.
      dataSnapshot: {
        ...snapshot,
        modelledItems: model.modelledItems,
        trainedAt,
        trainMs: Date.now() - started,
        modelPrefix: layout.modelPrefix,
      },
    }));
    await ctx.progress(100, 'trained');
    return { status: 'done', result: { models } };
  }

  async batchInfer(ctx: EngineContext): Promise<StepResult<BatchInferResult>> {
    const { store, layout } = ctx;
    await ctx.progress(0, 'loading the model');
    const model = await loadModel(store, layout.modelPrefix);
    const needsItemModel = ctx.recipes.filter((r) => r !== 'popularity-count');
    if (!model.itemModel && needsItemModel.length) {
      throw new Error(
        `the model of run ${ctx.runId} was trained for popularity-count only; train again for ${needsItemModel.join(', ')}`,
      );
    }
    const size = outputSize(model.params);
    const r = new Recommender(model, popularityLists(model, size * 2), size);
    const outputs: BatchOutput[] = [];
    const recipes = ctx.recipes;
    const perCustomer = recipes.some((x) => x === 'user-personalization' || x === 'item-affinity');
    const threads = perCustomer
      ? poolSize(model.data.userIds.length, this.params.workers < 0 ? undefined : this.params.workers)
      : 0;
    const pool = threads > 0 ? UserPool.create(model, size, threads) : null;
    try {
      const step = 100 / Math.max(1, recipes.length);
      const write = async (recipe: RecipeName, name: RecipeName | 'item-affinity-users', source: LineSource) => {
        const key = outputKey(layout.outputPrefix, name);
        await store.put(key, Readable.from(source.chunks()));
        outputs.push({ recipe, key, lines: source.lines, failedLines: 0 });
      };
      const writeRecipe = async (
        recipe: RecipeName,
        report: (share: number, message: string) => (f: number) => Promise<void>,
      ) => {
        switch (recipe) {
          case 'popularity-count':
            await write(recipe, recipe, popularityLines(r));
            break;
          case 'similar-items':
            await write(recipe, recipe, similarItemsLines(r));
            break;
          case 'user-personalization': {
            const progress = report(1, `${recipe}: customers`);
            const source = pool
              ? { lines: model.data.userIds.length, chunks: () => pool.lines('user-personalization', progress) }
              : userPersonalizationLines(r, progress);
            await write(recipe, recipe, source);
            break;
          }
          case 'personalized-ranking':
            await write(
              recipe,
              recipe,
              personalizedRankingLines(r, defaultRankingList(r), report(1, `${recipe}: customers`)),
            );
            break;
          case 'item-affinity': {
            const segProgress = report(0.5, `${recipe}: segments`);
            const seg = pool
              ? finishSegments(r, await pool.segmentHeaps(segProgress))
              : await computeSegments(r, segProgress);
            await write(recipe, recipe, itemAffinityLines(r, seg));
            const progress = report(0.5, `${recipe}: customers`);
            if (pool) await pool.setNorm(seg.best);
            const source = pool
              ? { lines: model.data.userIds.length, chunks: () => pool.lines('item-affinity-users', progress) }
              : itemAffinityUserLines(r, seg, progress);
            await write(recipe, 'item-affinity-users', source);
            break;
          }
        }
      };
      for (const [n, recipe] of recipes.entries()) {
        const base = n * step;
        const report = (share: number, message: string) => (f: number) =>
          ctx.progress(Math.min(99, Math.round(base + step * share * f)), message);
        await ctx.progress(Math.round(base), `${recipe}: writing`);
        const job = { jobName: jobName(LOCAL_JOB_NAMESPACE, ctx.runId, 'batch', recipe), runId: ctx.runId, recipe };
        await this.jobs?.record(job, {
          status: 'IN_PROGRESS',
          startedAt: new Date(),
          completedAt: null,
          failureReason: null,
        });
        try {
          await writeRecipe(recipe, report);
        } catch (err) {
          await this.jobs?.record(job, {
            status: 'FAILED',
            completedAt: new Date(),
            failureReason: err instanceof Error ? err.message : String(err),
          });
          throw err;
        }
        await this.jobs?.record(job, { status: 'ACTIVE', completedAt: new Date() });
      }
    } finally {
      await pool?.close();
    }
    await ctx.progress(100, 'batch output written');
    return { status: 'done', result: { outputs } };
  }

  /**
   * Offline metrics of each of ctx.recipes: a model trained exactly as train() trains the run's
   * (the same parameters object) on the split's training part of the run's interactions.
   */
  async evaluate(ctx: EngineContext, request: EvaluationRequest): Promise<EvaluationResult> {
    await ctx.progress(5, 'reading interactions');
    const raw = await readInteractions(await ctx.store.get(ctx.layout.interactions), 'interactions.csv');
    await ctx.progress(10, `evaluating ${ctx.recipes.join(', ')}`);
    // Recipes trained with the same parameters share one evaluation model (one run's always do).
    const groups = new Map<string, { params: EngineParams; recipes: RecipeName[] }>();
    for (const recipe of ctx.recipes) {
      const model = request.trained.find((t) => t.recipe === recipe);
      if (!model)
        throw new Error(
          `run ${ctx.runId} has no model version for ${recipe}; only a run's trained models can be evaluated`,
        );
      const params = paramsFromRecord(model.params);
      const key = JSON.stringify(params);
      const group = groups.get(key) ?? { params, recipes: [] };
      group.recipes.push(recipe);
      groups.set(key, group);
    }
    const evaluations: ModelEvaluation[] = [];
    for (const { params, recipes } of groups.values()) {
      const figures = await evaluateRecipes(raw, recipes, { split: request.split, k: request.k, params });
      const method = {
        split: request.split,
        k: request.k,
        source: ctx.store.uri(ctx.layout.interactions),
        params: { ...params },
      };
      recipes.forEach((recipe, i) => evaluations.push({ recipe, metrics: figures[i]!, method }));
    }
    await ctx.progress(100, 'evaluated');
    return { evaluations };
  }
}

function dataSnapshot(
  d: Dataset,
  eventTypes: string[],
  rejectedCount: number,
  rejected: RejectedRow[],
  hasItems: boolean,
  hasUsers: boolean,
): Record<string, unknown> {
  return {
    interactions: d.interactions,
    users: d.userIds.length,
    items: d.itemIds.length,
    categories: d.categories.length,
    provinces: d.provinces.length,
    eventTypes,
    referenceTime: d.referenceTime,
    // The half-lives in days that the span-relative parameters came to on this data.
    timeScale: d.timeScale,
    itemsFile: hasItems,
    usersFile: hasUsers,
    rejectedRows: rejectedCount,
    rejectedSamples: rejected.slice(0, SNAPSHOT_REJECTIONS),
  };
}
