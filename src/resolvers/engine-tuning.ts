// model_versions.tuning (a JSON record written by the engine's tuning step, or by the AWS engine)
// as the EngineTuning type. Fields the record lacks are null; a record of an unknown shape reads
// as null rather than failing the whole query.
import type { EngineTuning, TuningTrial } from '../schema/__generated__/schema-types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

function trialOf(t: unknown): TuningTrial | null {
  if (!isObj(t)) return null;
  const n = num(t.n);
  const ndcg = num(t.ndcg);
  if (n === null || ndcg === null) return null;
  return {
    n,
    stage: str(t.stage) ?? '',
    changes: JSON.stringify(t.changes ?? {}),
    ndcg,
    gain: num(t.gain) ?? 0,
    se: num(t.se) ?? 0,
    kept: t.kept === true,
    ms: num(t.ms) ?? 0,
  };
}

export function engineTuningOf(record: unknown, runId: number | null): EngineTuning | null {
  if (!isObj(record) || typeof record.status !== 'string') return null;
  const v = isObj(record.validation) ? record.validation : {};
  const users = isObj(v.usersSplit) ? v.usersSplit : {};
  const w = isObj(record.window) ? record.window : {};
  const fromRun = num(record.fromRunId) ?? (record.status === 'tuned' ? runId : null);
  return {
    status: record.status,
    reason: str(record.reason) ?? '',
    tunedInRunId: fromRun === null ? null : String(fromRun),
    tunedAt: str(record.tunedAt),
    chosen: isObj(record.chosen) ? JSON.stringify(record.chosen) : null,
    validationNdcgUntuned: num(v.untunedNdcg),
    validationNdcgTuned: num(v.tunedNdcg),
    usersSplitNdcgUntuned: num(users.untunedNdcg),
    usersSplitNdcgTuned: num(users.tunedNdcg),
    windowStart: str(w.cutoffIso),
    windowDays: num(w.days),
    windowCustomers: num(w.cases),
    elapsedMs: num(record.elapsedMs),
    budgetMs: num(record.budgetMs),
    stoppedBy: str(record.stoppedBy),
    performHPO: bool(record.performHPO),
    performAutoML: bool(record.performAutoML),
    trials: Array.isArray(record.trials) ? record.trials.map(trialOf).filter((t): t is TuningTrial => t !== null) : [],
  };
}
