// The built-in engine's parameters: the engine section of Config plus algorithm settings with
// defaults chosen on the quality benchmark (BENCHMARKS.md). Recorded with every model version.
import type { Config } from '../../config/config';

export interface EngineParams {
  numResults: number;
  /** Weight per EVENT_TYPE; a type not listed weighs `defaultEventWeight`. */
  eventWeights: Record<string, number>;
  defaultEventWeight: number;
  /**
   * The event types that are what a store wants more of (a purchase): the tuner predicts them,
   * and they are what "already bought" means for the exclusion filter.
   */
  targetEventTypes: string[];
  /**
   * Every recency half-life below is a share of the data's own time span (its newest event
   * minus its 1st-percentile timestamp), so one default fits a store with weeks of history and
   * one with years. Popularity (popularity-count and every fallback) decays with halfLife;
   * halfLifeDays > 0 (RECENCY_HALF_LIFE_DAYS) fixes it in days instead.
   */
  halfLife: number;
  halfLifeDays: number;
  /**
   * Recency half-life of the personal models' inputs (item model and profiles), a share of the
   * span; -1: popularity's.
   */
  modelHalfLife: number;
  /**
   * The model half-life is raised (up to popularity's) until the decayed events per product reach
   * this many: on a sparse store a half-life that suits a dense one leaves the item model a
   * fraction of an event per product (decay-density.ts). 0 = off.
   */
  modelDensity: number;
  /** The personal models' decay never goes below this (old purchases still count a little); 0..1. */
  modelDecayFloor: number;
  /**
   * Scoring weighs a customer's products by how recently they interacted with each, relative to
   * their own latest event (their newest interests say most about their next purchase); a share
   * of the span, 0 = off.
   */
  profileHalfLife: number;
  /** How EVENT_VALUE counts: 'log' (log2(1 + value): a quantity of 3 counts twice a quantity of 1) or 'ignore'. */
  eventValue: 'log' | 'ignore';
  excludePurchased: boolean;
  seed: number;
  /** Batch lists hold numResults x this many entries, so API-side filters can still fill a page. */
  candidateFactor: number;
  /** 'ease' (closed-form linear item model), 'rp3beta' (popularity-penalised random walks) or 'cosine' (item kNN). */
  algorithm: 'ease' | 'rp3beta' | 'cosine';
  easeLambda: number;
  /** EASE inverts an items x items matrix; beyond this many items, the most active ones are modelled. */
  easeMaxItems: number;
  /** RP3beta: transition probabilities raised to alpha; walks ending on j divided by degree(j)^beta. */
  rp3Alpha: number;
  rp3Beta: number;
  /**
   * With algorithm 'ease': share of RP3beta blended into the scoring rows (0 = EASE alone). RP3beta
   * also covers the products beyond easeMaxItems.
   */
  graphBlend: number;
  /**
   * Which decay EASE learns from: 'model' (modelHalfLifeDays, like RP3beta) or 'long' (halfLifeDays):
   * a long-memory EASE blended with a short-memory RP3beta.
   */
  easeMemory: 'model' | 'long';
  /** Neighbours kept per item (sparse model rows, similar-items candidates). */
  neighbors: number;
  /**
   * Blend of what is selling now into personal scores: a product's recent popularity (decayed
   * with trendHalfLife, a share of the span) times this share of the customer's best personal
   * score (0 = off).
   */
  trendWeight: number;
  trendHalfLife: number;
  /** Worker threads for the per-customer passes of batch inference; -1: automatic (by data size). */
  workers: number;
  /** Cosine shrinkage: damps similarities resting on few common customers. */
  cosineShrink: number;
}

export const DEFAULT_PARAMS: EngineParams = {
  numResults: 25,
  eventWeights: { purchase: 1, cart: 0.5, view: 0.1, return: 0 },
  defaultEventWeight: 1,
  targetEventTypes: ['purchase'],
  // 0.5, 0.02 and 0.08 of Online Retail's 373 days are the 180, 7 and 30 days chosen on its
  // validation window before the engine measured time by the data's span (BENCHMARKS.md).
  halfLife: 0.5,
  halfLifeDays: 0,
  modelHalfLife: 0.02,
  modelDensity: 3,
  modelDecayFloor: 0,
  eventValue: 'log',
  profileHalfLife: 0,
  excludePurchased: true,
  seed: 42,
  candidateFactor: 2,
  algorithm: 'ease',
  easeLambda: 400,
  easeMaxItems: 1500,
  neighbors: 100,
  rp3Alpha: 0.7,
  rp3Beta: 0.3,
  graphBlend: 0.75,
  easeMemory: 'long',
  cosineShrink: 10,
  workers: -1,
  trendWeight: 0,
  trendHalfLife: 0.08,
};

/** The half-lives of one training, in days, resolved from the shares and the data's span. */
export interface TimeScale {
  spanDays: number;
  halfLifeDays: number;
  /** 0 = no decay. */
  modelHalfLifeDays: number;
  profileHalfLifeDays: number;
  trendHalfLifeDays: number;
}

/** Spans shorter than a day are taken as a day (a half-life of seconds would erase everything). */
const MIN_SPAN_DAYS = 1;

export function resolveTimeScale(p: EngineParams, spanSeconds: number): TimeScale {
  const spanDays = Math.max(MIN_SPAN_DAYS, spanSeconds / 86_400);
  const days = (share: number) => (share > 0 ? share * spanDays : 0);
  const halfLifeDays = p.halfLifeDays > 0 ? p.halfLifeDays : days(p.halfLife);
  return {
    spanDays,
    halfLifeDays,
    modelHalfLifeDays: p.modelHalfLife < 0 ? halfLifeDays : days(p.modelHalfLife),
    profileHalfLifeDays: days(p.profileHalfLife),
    trendHalfLifeDays: days(p.trendHalfLife),
  };
}

export function paramsFromConfig(engine: Config['engine'], overrides: Partial<EngineParams> = {}): EngineParams {
  return {
    ...DEFAULT_PARAMS,
    numResults: engine.numResults,
    eventWeights: engine.eventWeights,
    halfLifeDays: engine.halfLifeDays ?? 0,
    excludePurchased: engine.excludePurchased,
    seed: engine.seed,
    ...overrides,
  };
}

/**
 * The parameters a model version recorded (train stores the whole object). Each is checked
 * against the type of its default; one that older code did not record takes the default.
 */
export function paramsFromRecord(record: Record<string, unknown>): EngineParams {
  const params: Record<string, unknown> = { ...DEFAULT_PARAMS };
  for (const [key, fallback] of Object.entries(DEFAULT_PARAMS)) {
    const value = record[key];
    if (value === undefined) continue;
    const ok = Array.isArray(fallback)
      ? Array.isArray(value) && value.every((t) => typeof t === 'string')
      : typeof fallback === 'object'
        ? typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((w) => typeof w === 'number')
        : typeof value === typeof fallback;
    if (!ok) throw new Error(`recorded engine parameter ${key} is not of the expected type: ${JSON.stringify(value)}`);
    params[key] = value;
  }
  return params as unknown as EngineParams;
}

export function outputSize(p: EngineParams): number {
  return Math.max(p.numResults, Math.round(p.numResults * p.candidateFactor));
}
