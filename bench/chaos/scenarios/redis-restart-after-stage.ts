// Restart Redis (a server of the bench's own, no persistence) right after export-datasets
// finished: the queued train job is gone. The sweep must fail the run with the reason and an
// alert, put the job schedulers back, and the next run must succeed.
import { startChildWorker } from '../../../test/support/child-worker';
import { startOwnRedis } from '../../../test/support/own-redis';
import { FAST_RECOVERY } from '../../../test/support/pipeline-harness';
import { waitFor } from '../../../test/support/wait-for';
import { QUEUE, runKeyOf } from '../../../src/queues/registry';
import type { ChaosScenario } from '../chaos-scenario';
import { failedRunOutcome, harnessWithLiveBatch, RECIPES, servedRows } from './pipeline-scenario-support';

export const redisRestartAfterStage: ChaosScenario = {
  name: 'Redis restart after a stage',
  async run() {
    const own = await startOwnRedis();
    const h = await harnessWithLiveBatch({ REDIS_URL: own.url });
    try {
      const before = await servedRows(h);
      await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY, ['--queues', QUEUE.exportDatasets]));
      await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY, ['--queues', QUEUE.scheduler]));
      const run = await h.service.startRun({ recipes: RECIPES });
      await waitFor('train to be queued', async () => {
        const r = await h.service.getRun(run.id);
        return r?.stages['export-datasets']?.status === 'succeeded'
          ? (await h.queues.stageJob(QUEUE.train, runKeyOf(r))).state === 'waiting'
          : false;
      });
      await own.stop();
      await own.start();
      const faultAt = Date.now();
      return await failedRunOutcome(
        h,
        { runId: run.id, before, faultAt },
        (_failed, done) => `lost train job found by the sweep; next run ${done.status}`,
        () => h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY)),
      );
    } finally {
      await own.start();
      await h.close();
      await own.stop();
    }
  },
};
