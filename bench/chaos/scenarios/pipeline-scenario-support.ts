// What the pipeline scenarios share: a harness with one good batch live, a count of the served
// rows, and the count of runs still active.
import { createPipelineHarness, type PipelineHarness } from '../../../test/support/pipeline-harness';
import { startChildWorker } from '../../../test/support/child-worker';
import { FAST_RECOVERY } from '../../../test/support/pipeline-harness';
import type { ChaosOutcome } from '../chaos-scenario';

export const RECIPES = ['popularity-count', 'user-personalization'];

/** A harness whose cache tables hold one good batch, loaded by a worker that is then stopped. */
export async function harnessWithLiveBatch(overrides: Record<string, string> = {}): Promise<PipelineHarness> {
  const h = await createPipelineHarness(overrides);
  const w = await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY));
  const run = await h.service.startRun({ recipes: RECIPES });
  const done = await h.finished(run.id);
  if (done.status !== 'succeeded') throw new Error(`chaos: the first run ${done.status}: ${done.error ?? ''}`);
  await w.stop('SIGTERM');
  return h;
}

export async function servedRows(h: PipelineHarness): Promise<number> {
  const { rows } = await h.ctx.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM offline_user_recommendations',
  );
  return rows[0]?.n ?? 0;
}

export async function activeRuns(h: PipelineHarness): Promise<number> {
  return (await h.service.runs.listActive()).length;
}

type FinishedRun = Awaited<ReturnType<PipelineHarness['finished']>>;

/**
 * The end of a scenario whose fault hit `runId`: that run must fail (and raise its alert), the old
 * batch must keep serving (`before` rows), and the next run must succeed; recovery is timed from
 * `faultAt` to that success. `beforeNext` starts whatever the next run needs (a worker).
 */
export async function failedRunOutcome(
  h: PipelineHarness,
  run: { runId: number; before: number; faultAt: number },
  note: (failed: FinishedRun, next: FinishedRun) => string,
  beforeNext?: () => Promise<unknown>,
): Promise<ChaosOutcome> {
  const failed = await h.finished(run.runId, 120_000);
  const alert = await h.failureAlert(run.runId);
  const lost = Math.max(0, run.before - (await servedRows(h)));
  await beforeNext?.();
  const next = await h.service.startRun({ recipes: RECIPES });
  const done = await h.finished(next.id);
  return {
    runsStuck: await activeRuns(h),
    rowsLost: lost,
    recoverMs: failed.status === 'failed' && done.status === 'succeeded' ? Date.now() - run.faultAt : null,
    alertRaised: alert !== null,
    note: note(failed, done),
  };
}
