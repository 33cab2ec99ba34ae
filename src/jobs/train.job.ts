// train: asks the configured engine to train every recipe of the run and records each model
// version with its parameters and data snapshot.
import type { StageFn } from '../pipeline/stage-types';
import { engineContext } from '../pipeline/engine-context';

export const train: StageFn = async (deps, input) => {
  const step = await deps.engine.train(engineContext(deps, input), input.poll?.state);
  if (step.status === 'waiting') return step;
  const { db, engine } = deps;
  const runId = input.run.id;
  // Idempotent: a rerun of this stage replaces the versions it recorded before.
  await db.prisma.modelVersion.deleteMany({ where: { runId } });
  await db.prisma.modelVersion.createMany({
    data: step.result.models.map((m) => ({
      runId,
      engine: engine.name,
      recipe: m.recipe,
      params: m.params as object,
      dataSnapshot: m.dataSnapshot as object,
      metrics: (m.metrics as object | undefined) ?? undefined,
      status: 'trained',
      trainedAt: new Date(),
    })),
  });
  return { status: 'done', counts: { models: step.result.models.length } };
};
