// No bad batch goes live. Before the swap, the staged batch is compared with what it would
// replace: the load is refused (the live batch keeps serving) when its failed lines exceed a
// share of its lines, or when it covers far fewer customers or products than the live batch.
// The rule sits in the one loader, so both engines meet it; an admin can force a load.
import type { PoolClient } from 'pg';
import { LoadRefusedError } from './load-refused-error';
import { RESULT_KINDS, type ResultKind } from './result-kinds';

export interface LoadGuard {
  /** Most failed lines allowed, as a share of all the batch's lines (0.01 = 1%). */
  maxFailedShare: number;
  /** Least coverage allowed, as a share of the live batch's customers or products (0.5 = 50%). */
  minCoverageShare: number;
  /** Load whatever the figures say (an admin's decision, recorded on the run). */
  force: boolean;
}

/** The kinds whose row count is a coverage: customers with a list, products with similar items. */
const COVERAGE_KINDS = { userRecommendations: 'customers', similarItems: 'products' } as const satisfies Partial<
  Record<ResultKind, string>
>;

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const HOW_TO_FORCE =
  'the live batch keeps serving; to load it anyway start a run with forceLoad (recs pipeline run --force-load)';

export function checkFailedShare(guard: LoadGuard, failedLines: number, totalLines: number): void {
  if (guard.force || totalLines === 0) return;
  const share = failedLines / totalLines;
  if (share > guard.maxFailedShare) {
    throw new LoadRefusedError(
      `load refused: ${failedLines} of ${totalLines} batch output lines failed (${pct(share)}, limit ${pct(guard.maxFailedShare)}); ${HOW_TO_FORCE}`,
    );
  }
}

/** Compares the staged row counts with the live tables' (FULL loads, before the swap). */
export async function checkCoverage(
  client: PoolClient,
  guard: LoadGuard,
  staged: Partial<Record<ResultKind, number>>,
  kinds: Iterable<ResultKind>,
): Promise<void> {
  if (guard.force) return;
  for (const kind of kinds) {
    if (!(kind in COVERAGE_KINDS)) continue;
    const what = COVERAGE_KINDS[kind as keyof typeof COVERAGE_KINDS];
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${RESULT_KINDS[kind].table}"`);
    const live = rows[0]?.n ?? 0;
    const next = staged[kind] ?? 0;
    if (live > 0 && next < guard.minCoverageShare * live) {
      throw new LoadRefusedError(
        `load refused: the new batch covers ${next} ${what}, ${pct(next / live)} of the live batch's ${live} (limit ${pct(guard.minCoverageShare)}); ${HOW_TO_FORCE}`,
      );
    }
  }
}
