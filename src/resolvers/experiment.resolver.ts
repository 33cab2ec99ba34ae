// The Experiment and ExperimentResults types: variants as the schema shows them, history and
// results read on demand through the ExperimentService.
import { resultsCsv } from '../experiments';
import type { ExperimentResolvers, ExperimentResultsResolvers } from './__generated__/resolvers-types';

export const Experiment: ExperimentResolvers = {
  id: (x) => String(x.id),
  variants: (x) =>
    x.variants.map((v) => ({
      key: v.key,
      name: v.name,
      share: v.share,
      strategy: {
        kind: v.strategy.kind,
        filter:
          v.strategy.kind === 'FILTER'
            ? {
                excludeInteracted: v.strategy.filter.excludeInteracted ?? null,
                categories: v.strategy.filter.categories ?? null,
                minPrice: v.strategy.filter.minPrice ?? null,
                maxPrice: v.strategy.filter.maxPrice ?? null,
              }
            : null,
        modelVersion: v.strategy.kind === 'BATCH' && v.strategy.modelVersion ? String(v.strategy.modelVersion) : null,
      },
      isControl: v.key === x.controlKey,
    })),
  history: (x, _, ctx) => ctx.services.experiments.store.history(x.id),
  results: (x, _, ctx) => ctx.services.experiments.results(x.id),
};

export const ExperimentResults: ExperimentResultsResolvers = {
  csv: (r) => resultsCsv(r),
};
