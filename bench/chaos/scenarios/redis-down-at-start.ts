// Redis is down when a run starts (the run row is written, its first job cannot be queued): the
// run must be failed at once with the reason and an alert, and a start once Redis is back works.
import { startChildWorker } from '../../../test/support/child-worker';
import { startOwnRedis } from '../../../test/support/own-redis';
import { FAST_RECOVERY } from '../../../test/support/pipeline-harness';
import type { ChaosScenario } from '../chaos-scenario';
import { activeRuns, harnessWithLiveBatch, RECIPES, servedRows } from './pipeline-scenario-support';

export const redisDownAtStart: ChaosScenario = {
  name: 'Redis down when a run starts',
  async run() {
    const own = await startOwnRedis();
    const h = await harnessWithLiveBatch({ REDIS_URL: own.url, ENQUEUE_TIMEOUT_MS: '2000' });
    try {
      const before = await servedRows(h);
      await own.stop();
      const faultAt = Date.now();
      const refused = await h.service.startRun({ recipes: RECIPES }).then(
        () => null,
        (err: unknown) => err as Error,
      );
      const [failed] = await h.service.listRuns({ first: 1 });
      const alert = failed ? await h.failureAlert(failed.id) : null;
      await own.start();
      await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY));
      const next = await h.service.startRun({ recipes: RECIPES });
      const done = await h.finished(next.id);
      return {
        runsStuck: await activeRuns(h),
        rowsLost: Math.max(0, before - (await servedRows(h))),
        recoverMs: refused && failed?.status === 'failed' && done.status === 'succeeded' ? Date.now() - faultAt : null,
        alertRaised: alert !== null,
        note: `start refused: "${(refused?.message ?? 'not refused').slice(0, 50)}..."; next run ${done.status}`,
      };
    } finally {
      await own.start();
      await h.close();
      await own.stop();
    }
  },
};
