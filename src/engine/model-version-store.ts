// model_versions, and the only module that writes it. The train stage records the run's models,
// one row per (run, recipe) (unique index): a rerun of train updates the same rows, so their ids,
// which cache batches record as their provenance, stay. Evaluation only adds metrics to the
// run's own rows and never creates one, so it cannot relabel what is served.
import { Prisma } from '../generated/prisma/client';
import type { Database } from '../db/database';
import type { ModelEvaluation, RecipeName, SplitKind, TrainedModel } from './training-engine';
import { previousTuningOf, type PreviousTuning } from './tuning-policy';

export class ModelVersionStore {
  constructor(private readonly db: Database) {}

  /** Ids of the run's rows, in the order of `models`. */
  async recordTrained(runId: number, engine: string, models: TrainedModel[]): Promise<number[]> {
    const ids: number[] = [];
    for (const m of models) {
      const trained = {
        engine,
        params: m.params as Prisma.InputJsonObject,
        dataSnapshot: m.dataSnapshot as Prisma.InputJsonObject,
        tuning: m.tuning ? (m.tuning as Prisma.InputJsonObject) : Prisma.DbNull,
        // Figures of an earlier training of this run describe a model that is gone.
        metrics: Prisma.DbNull,
        status: 'trained',
        trainedAt: new Date(),
      };
      const row = await this.db.prisma.modelVersion.upsert({
        where: { runId_recipe: { runId, recipe: m.recipe } },
        create: { runId, recipe: m.recipe, ...trained },
        update: trained,
        select: { id: true },
      });
      ids.push(row.id);
    }
    return ids;
  }

  /** Stores an evaluation's figures on the run's row of the recipe; the row must exist (train made it). */
  async saveEvaluation(runId: number, evaluation: ModelEvaluation): Promise<number> {
    const metrics = { ...evaluation.metrics, evaluation: evaluation.method } as Prisma.InputJsonObject;
    const updated = await this.db.prisma.modelVersion.updateManyAndReturn({
      where: { runId, recipe: evaluation.recipe },
      data: { metrics },
      select: { id: true },
    });
    const row = updated[0];
    if (!row)
      throw new Error(
        `run ${runId} has no model version for ${evaluation.recipe}; only a run's trained models can be evaluated`,
      );
    return row.id;
  }

  /** The run's recorded models of the recipes; each must exist (a run's evaluation scores only what it trained). */
  async trainedOf(
    runId: number,
    recipes: readonly RecipeName[],
  ): Promise<{ recipe: RecipeName; params: Record<string, unknown> }[]> {
    const rows = await this.db.prisma.modelVersion.findMany({
      where: { runId, recipe: { in: [...recipes] } },
      select: { recipe: true, params: true },
    });
    return recipes.map((recipe) => {
      const row = rows.find((r) => r.recipe === recipe);
      if (!row)
        throw new Error(
          `run ${runId} has no model version for ${recipe}; only a run's trained models can be evaluated`,
        );
      const params = row.params;
      if (typeof params !== 'object' || params === null || Array.isArray(params))
        throw new Error(`run ${runId}'s model version for ${recipe} has no parameters object`);
      return { recipe, params };
    });
  }

  /** The newest tuning the engine made (not a reuse of one), for a later run to reuse. */
  async latestTuning(engine: string, beforeRunId: number): Promise<PreviousTuning | null> {
    const rows = await this.db.pool.query<{ run_id: number; tuning: unknown }>(
      `SELECT run_id, tuning FROM model_versions
        WHERE engine = $1 AND run_id < $2 AND tuning->>'status' = 'tuned'
        ORDER BY run_id DESC, id DESC LIMIT 1`,
      [engine, beforeRunId],
    );
    const row = rows.rows[0];
    return row ? previousTuningOf(row.run_id, row.tuning) : null;
  }

  /** The newest run that trained the recipe, if any. */
  async newestRunOf(recipe: RecipeName): Promise<number | null> {
    const row = await this.db.prisma.modelVersion.findFirst({
      where: { recipe, runId: { not: null } },
      orderBy: { runId: 'desc' },
      select: { runId: true },
    });
    return row?.runId ?? null;
  }

  /**
   * The newest earlier run's value of a metric for the recipe (the live model's, to compare with),
   * measured on the same split: `recs evaluate --split time` may have replaced a run's figures.
   */
  async previousMetric(
    engine: string,
    recipe: RecipeName,
    beforeRunId: number,
    metric: string,
    split: SplitKind,
  ): Promise<{ runId: number; value: number } | null> {
    const earlier = await this.db.prisma.modelVersion.findMany({
      where: { recipe, engine, runId: { lt: beforeRunId } },
      orderBy: { runId: 'desc' },
      take: 10,
      select: { runId: true, metrics: true },
    });
    for (const v of earlier) {
      const metrics = v.metrics as Record<string, unknown> | null;
      const value = metrics?.[metric];
      const method = metrics?.evaluation;
      const sameSplit = typeof method === 'object' && method !== null && 'split' in method && method.split === split;
      if (typeof value === 'number' && sameSplit && v.runId !== null) return { runId: v.runId, value };
    }
    return null;
  }
}
