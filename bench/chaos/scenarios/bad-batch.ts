// A bad batch (issue 12, "no bad batch goes live"): a run whose batch output is mostly failed
// lines (a worker process with bad-batch-engine.ts) must be refused by the load guard: the run
// fails with the reason and an alert, the live batch keeps serving every row, and the next run
// through a good worker loads without a person.
import { startBadBatchWorker, startChildWorker } from '../../../test/support/child-worker';
import { FAST_RECOVERY } from '../../../test/support/pipeline-harness';
import type { ChaosScenario } from '../chaos-scenario';
import { activeRuns, harnessWithLiveBatch, RECIPES, servedRows } from './pipeline-scenario-support';

export const badBatch: ChaosScenario = {
  name: 'mostly failed batch output',
  async run() {
    const h = await harnessWithLiveBatch();
    try {
      const before = await servedRows(h);
      const liveBatch = async () =>
        (await h.ctx.db.pool.query<{ id: number }>('SELECT max(id)::int AS id FROM cache_batches')).rows[0]?.id ?? 0;
      const batchBefore = await liveBatch();
      const bad = await h.spawn(() => startBadBatchWorker(h.ctx, FAST_RECOVERY));
      const faultAt = Date.now();
      const refused = await h.finished((await h.service.startRun({ recipes: RECIPES })).id);
      const alert = await h.failureAlert(refused.id);
      // While refused: the old batch is still the one served, whole.
      const servedWhileRefused = await servedRows(h);
      const keptOld = (await liveBatch()) === batchBefore;
      await bad.stop('SIGTERM');
      await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY));
      const next = await h.finished((await h.service.startRun({ recipes: RECIPES })).id);
      const recovered = refused.status === 'failed' && keptOld && next.status === 'succeeded';
      return {
        runsStuck: await activeRuns(h),
        rowsLost: Math.max(0, before - servedWhileRefused) + Math.max(0, before - (await servedRows(h))),
        recoverMs: recovered ? Date.now() - faultAt : null,
        alertRaised: alert !== null,
        note: `refused: "${(refused.error ?? 'not refused').slice(0, 60)}..."; old batch kept ${keptOld ? 'yes' : 'NO'}; next run ${next.status}`,
      };
    } finally {
      await h.close();
    }
  },
};
