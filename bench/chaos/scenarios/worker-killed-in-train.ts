// SIGKILL the worker three times while it trains: the run must fail with the reason and an
// alert (not stay active), the old batch keeps serving, and the next run succeeds.
import { startChildWorker, startHangingWorker } from '../../../test/support/child-worker';
import { TRAIN_STARTED } from '../../../test/support/hanging-engine';
import { FAST_RECOVERY } from '../../../test/support/pipeline-harness';
import { waitFor } from '../../../test/support/wait-for';
import type { ChaosScenario } from '../chaos-scenario';
import { failedRunOutcome, harnessWithLiveBatch, RECIPES, servedRows } from './pipeline-scenario-support';

export const workerKilledInTrain: ChaosScenario = {
  name: 'worker SIGKILLed 3x in train',
  async run() {
    const h = await harnessWithLiveBatch();
    try {
      const before = await servedRows(h);
      let victim = await h.spawn(() => startHangingWorker(h.ctx, FAST_RECOVERY));
      const run = await h.service.startRun({ recipes: RECIPES });
      let faultAt = 0;
      for (let kill = 1; kill <= 3; kill += 1) {
        await waitFor('train to start', () => Promise.resolve(victim.output().includes(TRAIN_STARTED)));
        const next = await h.spawn(() =>
          kill < 3 ? startHangingWorker(h.ctx, FAST_RECOVERY) : startChildWorker(h.ctx, FAST_RECOVERY),
        );
        victim.proc.kill('SIGKILL');
        await victim.exited;
        faultAt = Date.now();
        victim = next;
      }
      return await failedRunOutcome(
        h,
        { runId: run.id, before, faultAt },
        (failed, done) => `run failed "${(failed.error ?? '').slice(0, 60)}..."; next run ${done.status}`,
      );
    } finally {
      await h.close();
    }
  },
};
