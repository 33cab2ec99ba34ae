// When a run tunes the engine's parameters and when it reuses the last tuning: a FULL run reuses
// the newest tuned parameters while the data has not changed by more than a share (interactions,
// customers or products); the retune schedule and triggerRetrain(retune) force a new search.
// The decision is a pure function, recorded with the model version beside its reason.

/** The data a tuning was made on, to measure how much has changed since. */
export interface TunedDataSize {
  interactions: number;
  users: number;
  items: number;
}

/** What model_versions.tuning holds for an earlier tuned run (the part a later run reuses). */
export interface PreviousTuning {
  runId: number;
  chosen: Record<string, unknown>;
  data: TunedDataSize;
  tunedAt: string;
}

export interface TuningRequest {
  enabled: boolean;
  retune: boolean;
  mode: 'FULL' | 'UPDATE';
  previous: PreviousTuning | null;
  data: TunedDataSize;
  /** A relative change above this in any data size means the last tuning is stale. */
  retuneChange: number;
}

export type TuningDecision =
  | { action: 'tune'; reason: string }
  | { action: 'reuse'; reason: string; from: PreviousTuning }
  | { action: 'untuned'; reason: string };

function change(now: number, before: number): number {
  return before > 0 ? Math.abs(now - before) / before : now > 0 ? Infinity : 0;
}

export function decideTuning(r: TuningRequest): TuningDecision {
  if (!r.enabled) return { action: 'untuned', reason: 'tuning is off (ENGINE_TUNING=false)' };
  if (r.mode === 'UPDATE')
    return r.previous
      ? { action: 'reuse', reason: 'UPDATE runs keep the last tuned parameters', from: r.previous }
      : { action: 'untuned', reason: 'UPDATE run and no earlier tuning' };
  if (r.retune) return { action: 'tune', reason: 're-tune requested (retune schedule or triggerRetrain)' };
  if (!r.previous) return { action: 'tune', reason: 'no earlier tuning' };
  const p = r.previous.data;
  const moved = Math.max(
    change(r.data.interactions, p.interactions),
    change(r.data.users, p.users),
    change(r.data.items, p.items),
  );
  if (moved > r.retuneChange)
    return {
      action: 'tune',
      reason: `data changed by ${(moved * 100).toFixed(0)}% since run ${r.previous.runId}'s tuning (over ${(r.retuneChange * 100).toFixed(0)}%)`,
    };
  return {
    action: 'reuse',
    reason: `data changed by ${(moved * 100).toFixed(1)}% since run ${r.previous.runId}'s tuning (at most ${(r.retuneChange * 100).toFixed(0)}%)`,
    from: r.previous,
  };
}

/** Reads a stored tuning record back; null when it holds no reusable choice. */
export function previousTuningOf(runId: number | null, record: unknown): PreviousTuning | null {
  if (runId === null || typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const chosen = r.chosen;
  const data = r.data as Partial<TunedDataSize> | undefined;
  if (r.status !== 'tuned' || typeof chosen !== 'object' || chosen === null || !data) return null;
  if (typeof data.interactions !== 'number' || typeof data.users !== 'number' || typeof data.items !== 'number')
    return null;
  return {
    runId,
    chosen: chosen as Record<string, unknown>,
    data: { interactions: data.interactions, users: data.users, items: data.items },
    tunedAt: typeof r.tunedAt === 'string' ? r.tunedAt : '',
  };
}
