// Event-type weights learned from the store's own history: a type weighs what it predicts. For
// each non-target type, the share of (customer, product) pairs that had it and went on to a
// target event (a purchase) on the same product later: views that rarely lead to a purchase
// count little, carts that often do count much. Target types weigh 1; types configured with a
// weight of 0 or less (returns) keep it. The tuner then scales the learned weights.
import type { RawInteractions } from '../dataset-reader';
import type { EngineParams } from '../engine-params';

/** A type seen on fewer pairs than this keeps its configured weight (too few to learn from). */
const MIN_PAIRS = 50;
/** Learned weights stay in [FLOOR, 1]: a type never vanishes entirely, nor outweighs a purchase. */
const FLOOR = 0.005;

export interface LearnedWeights {
  weights: Record<string, number>;
  /** Per learned type: pairs seen and how many went on to a target event. */
  evidence: Record<string, { pairs: number; converted: number }>;
}

export function learnEventWeights(
  raw: RawInteractions,
  use: (k: number) => boolean,
  params: Pick<EngineParams, 'eventWeights' | 'defaultEventWeight' | 'targetEventTypes'>,
): LearnedWeights {
  const weights: Record<string, number> = {};
  const configured = (t: string) => params.eventWeights[t] ?? params.defaultEventWeight;
  const learnable = raw.eventTypes.map((t) => !params.targetEventTypes.includes(t) && configured(t) > 0);
  const isTarget = raw.eventTypes.map((t) => params.targetEventTypes.includes(t));
  // Nothing to learn (a store of purchases only): no pass over the rows, which at the reference
  // size filled a map of 2 M pairs inside the tuning budget for nothing.
  if (!learnable.some(Boolean)) {
    raw.eventTypes.forEach((type, t) => (weights[type] = isTarget[t] ? 1 : configured(type)));
    return { weights, evidence: {} };
  }
  // Per pair: first time of each learnable type, last time of a target event.
  const nItems = raw.itemIds.length;
  const first = raw.eventTypes.map(() => new Map<number, number>());
  const lastTarget = new Map<number, number>();
  for (let k = 0; k < raw.length; k++) {
    if (!use(k)) continue;
    const t = raw.eventType[k]!;
    const key = raw.user[k]! * nItems + raw.item[k]!;
    const ts = raw.timestamp[k]!;
    if (isTarget[t]) {
      if (!(ts <= (lastTarget.get(key) ?? -Infinity))) lastTarget.set(key, ts);
    } else if (learnable[t]) {
      const m = first[t]!;
      if (!(ts >= (m.get(key) ?? Infinity))) m.set(key, ts);
    }
  }
  const evidence: LearnedWeights['evidence'] = {};
  raw.eventTypes.forEach((type, t) => {
    if (isTarget[t]) weights[type] = 1;
    else if (!learnable[t]) weights[type] = configured(type);
    else {
      let converted = 0;
      for (const [key, ts] of first[t]!) if ((lastTarget.get(key) ?? -Infinity) >= ts) converted += 1;
      const pairs = first[t]!.size;
      evidence[type] = { pairs, converted };
      weights[type] = pairs < MIN_PAIRS ? configured(type) : Math.min(1, Math.max(FLOOR, converted / pairs));
    }
  });
  return { weights, evidence };
}

/** The learned weights of non-target types multiplied by `factor` (capped at 1). */
export function scaledWeights(learned: LearnedWeights, factor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, w] of Object.entries(learned.weights))
    out[type] = type in learned.evidence ? Math.min(1, w * factor) : w;
  return out;
}
