// What the tuner tries, in order: greedy stages, each option applied on top of the best so far.
// Time constants are shares of the data's own span; the event-weight stage scales the weights
// learned from the data. The first stages matter most, so a budget that stops the search early
// still gets them.
import type { EngineParams } from '../engine-params';

export interface SearchStage {
  name: string;
  /** Options, given the best parameters so far (some only apply to one item model). */
  options: (best: EngineParams) => Partial<EngineParams>[];
}

/** Multipliers of the learned non-target weights; 'configured' and 'uniform' are also tried. */
export const WEIGHT_FACTORS = [1, 3, 10] as const;

const usesEase = (p: EngineParams) => p.algorithm === 'ease';
const usesGraph = (p: EngineParams) => p.algorithm === 'rp3beta' || (p.algorithm === 'ease' && p.graphBlend > 0);

export const SEARCH_STAGES: readonly SearchStage[] = [
  // First: the time constant is what a store's own time scale decides most (a half-life of 2% of
  // the span keeps a fortnight of a year's history, while the synthetic reference store's tastes
  // last all year: validation nDCG@10 0.152 untuned, 0.214 with the long half-life), and a budget
  // that holds only a few trials must still reach it.
  // A share alone (no density floor), or the default share under another density floor.
  {
    name: 'model half-life (share of the span, or density floor)',
    options: () => [
      ...[-1, 0.15, 0.05, 0.02, 0.01, 0.005].map((modelHalfLife) => ({ modelHalfLife, modelDensity: 0 })),
      ...[1, 10].map((modelDensity) => ({ modelDensity })),
    ],
  },
  {
    name: 'item model',
    options: () => [
      { algorithm: 'rp3beta' },
      { algorithm: 'ease', graphBlend: 0, easeMemory: 'model' },
      { algorithm: 'ease', graphBlend: 0.5, easeMemory: 'model' },
      { algorithm: 'ease', graphBlend: 0.75, easeMemory: 'long' },
      { algorithm: 'cosine' },
    ],
  },
  {
    name: 'regularisation',
    options: (p) => [
      ...(usesEase(p) ? [100, 1600].map((easeLambda) => ({ easeLambda })) : []),
      ...(usesGraph(p) ? [0.15, 0.5].map((rp3Beta) => ({ rp3Beta })) : []),
      ...(usesGraph(p) ? [0.5, 1].map((rp3Alpha) => ({ rp3Alpha })) : []),
      ...(p.algorithm === 'cosine' ? [2, 50].map((cosineShrink) => ({ cosineShrink })) : []),
    ],
  },
  {
    name: 'profile decay (share of the span)',
    options: () => [0.02, 0.1, 0.3].map((profileHalfLife) => ({ profileHalfLife })),
  },
  {
    name: 'popularity prior',
    options: () => [{ trendWeight: 0.05 }, { trendWeight: 0.2 }, { trendWeight: 0.2, trendHalfLife: 0.02 }],
  },
  { name: 'candidate depth', options: () => [50, 200].map((neighbors) => ({ neighbors })) },
  {
    name: 'model half-life (again)',
    // Under a density floor, the floor is what sets the half-life: it is the one refined.
    options: (p) =>
      [0.5, 2].flatMap((f): Partial<EngineParams>[] =>
        p.modelDensity > 0
          ? [{ modelDensity: p.modelDensity * f }]
          : p.modelHalfLife * f > 0
            ? [{ modelHalfLife: p.modelHalfLife * f }]
            : [],
      ),
  },
];
