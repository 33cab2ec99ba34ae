// The experiment mutations (admin): create and the lifecycle moves. Mistakes (bad input, a move
// the status does not allow, a busy surface, a guardrail that refuses shipping) are userErrors.
import { ExperimentError, type NewExperiment, type Strategy } from '../experiments';
import { parseIntId } from '../gateway/input-limits';
import type { CreateExperimentInput } from '../schema/__generated__/schema-types';
import type { MutationResolvers } from './__generated__/resolvers-types';
import { withUserErrors } from './user-errors';

/** A ModelVersion id as given (an ID: digits), else a userError naming the variant. */
function modelVersionId(raw: string, at: number): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || n < 1)
    throw new ExperimentError('INVALID', 'modelVersion must be a ModelVersion id', [
      'variants',
      String(at),
      'modelVersion',
    ]);
  return n;
}

function toNew(input: CreateExperimentInput): NewExperiment {
  return {
    name: input.name,
    description: input.description ?? null,
    surfaces: input.surfaces,
    controlKey: input.controlKey,
    attributionWindowDays: input.attributionWindowDays ?? null,
    plannedCustomersPerVariant: input.plannedCustomersPerVariant ?? null,
    variants: input.variants.map((v, i) => {
      const strategy: Strategy =
        v.strategy === 'FILTER'
          ? {
              kind: 'FILTER',
              filter: {
                excludeInteracted: v.filter?.excludeInteracted ?? null,
                categories: v.filter?.categories ?? null,
                minPrice: v.filter?.minPrice ?? null,
                maxPrice: v.filter?.maxPrice ?? null,
              },
            }
          : v.strategy === 'BATCH'
            ? { kind: 'BATCH', modelVersion: v.modelVersion == null ? null : modelVersionId(v.modelVersion, i) }
            : { kind: v.strategy };
      if (v.modelVersion != null && v.strategy !== 'BATCH')
        throw new ExperimentError('INVALID', 'modelVersion is for BATCH strategies only', [
          'variants',
          String(i),
          'modelVersion',
        ]);
      return { key: v.key, name: v.name, share: v.share, strategy };
    }),
  };
}

type Move = 'start' | 'pause' | 'resume' | 'stop';
const mover =
  (action: Move): NonNullable<MutationResolvers['startExperiment']> =>
  (_, args, ctx) => {
    ctx.requireRole('admin');
    return withUserErrors({ experiment: null }, async () => ({
      experiment: await ctx.services.experiments.move(parseIntId('id', args.id), action),
    }));
  };

export const experimentMutations: Pick<
  MutationResolvers,
  'createExperiment' | 'startExperiment' | 'pauseExperiment' | 'resumeExperiment' | 'stopExperiment' | 'shipExperiment'
> = {
  createExperiment(_, args, ctx) {
    ctx.requireRole('admin');
    return withUserErrors(
      { experiment: null },
      async () => ({
        experiment: await ctx.services.experiments.create(toNew(args.input)),
      }),
      ['input'],
    );
  },
  startExperiment: mover('start'),
  pauseExperiment: mover('pause'),
  resumeExperiment: mover('resume'),
  stopExperiment: mover('stop'),
  shipExperiment(_, args, ctx) {
    ctx.requireRole('admin');
    return withUserErrors({ experiment: null }, async () => ({
      experiment: await ctx.services.experiments.ship(
        parseIntId('id', args.id),
        args.variant,
        args.force,
        args.note ?? undefined,
      ),
    }));
  },
};
