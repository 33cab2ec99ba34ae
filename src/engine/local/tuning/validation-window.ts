// The tuner's temporal validation window, sized from the data: it starts at the 90th percentile
// of the target events' timestamps (the newest tenth of what is predicted), kept between 5% and
// 25% of the data's span, and ends with the data (or at `until`, so that a test window after it
// stays unread).
import type { RawInteractions } from '../dataset-reader';

export interface ValidationWindow {
  /** Train on events before this; the truth is the target events from here on. */
  cutoff: number;
  /** Events at or after this are not read (Infinity: the end of the data). */
  until: number;
  days: number;
  spanDays: number;
}

const MIN_SHARE = 0.05;
const MAX_SHARE = 0.25;

export function validationWindow(
  raw: RawInteractions,
  targetTypes: readonly string[],
  until = Infinity,
): ValidationWindow {
  const isTarget = raw.eventTypes.map((t) => targetTypes.includes(t));
  const all: number[] = [];
  const targets: number[] = [];
  for (let k = 0; k < raw.length; k++) {
    const ts = raw.timestamp[k]!;
    if (ts >= until) continue;
    all.push(ts);
    if (isTarget[raw.eventType[k]!]) targets.push(ts);
  }
  const sorted = Float64Array.from(all).sort();
  const first = sorted[Math.floor(sorted.length * 0.01)] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  const span = Math.max(1, last - first);
  const t = Float64Array.from(targets.length ? targets : all).sort();
  const p90 = t[Math.floor(t.length * 0.9)] ?? last;
  const length = Math.min(MAX_SHARE * span, Math.max(MIN_SHARE * span, last - p90));
  const cutoff = last - length;
  return { cutoff, until, days: length / 86_400, spanDays: span / 86_400 };
}
