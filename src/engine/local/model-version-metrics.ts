// Stores offline metrics on a model version: the run's row for the recipe when there is one
// (the pipeline's train stage creates it), otherwise a new row of status 'evaluated'.
import type { PrismaClient } from '../../generated/prisma/client';

export interface EvaluationRecord {
  runId?: number;
  recipe: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  evaluation: { split: string; k: number; source: string };
}

export async function saveEvaluationMetrics(prisma: PrismaClient, rec: EvaluationRecord): Promise<number> {
  const existing =
    rec.runId === undefined
      ? null
      : await prisma.modelVersion.findFirst({
          where: { runId: rec.runId, recipe: rec.recipe, engine: 'local' },
          orderBy: { id: 'desc' },
        });
  const metrics = { ...rec.metrics, evaluation: rec.evaluation } as unknown as Record<string, number>;
  if (existing) {
    await prisma.modelVersion.update({ where: { id: existing.id }, data: { metrics } });
    return existing.id;
  }
  const created = await prisma.modelVersion.create({
    data: {
      runId: rec.runId ?? null,
      engine: 'local',
      recipe: rec.recipe,
      params: rec.params as object,
      dataSnapshot: { source: rec.evaluation.source },
      metrics,
      status: 'evaluated',
      trainedAt: new Date(),
    },
  });
  return created.id;
}
