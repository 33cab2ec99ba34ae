// No run is ever stuck: a run whose current stage has no live job (its worker killed three
// times, its job lost in a Redis restart, its first job never queued) is failed with the reason
// and an alert, and the next run starts. Real worker processes, real kills, a real Redis restart
// (of a redis-server of the test's own).
import { loadConfig } from '../../src/config/config';
import { RunEnqueueError } from '../../src/pipeline/pipeline-service';
import { SCHEDULES } from '../../src/pipeline/schedules';
import { QUEUE, runKeyOf } from '../../src/queues/registry';
import { startChildWorker, startHangingWorker } from '../support/child-worker';
import { TRAIN_STARTED } from '../support/hanging-engine';
import { startOwnRedis, type OwnRedis } from '../support/own-redis';
import { createPipelineHarness, FAST_RECOVERY as FAST, type PipelineHarness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

describe('a worker killed three times in train', () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    h = await createPipelineHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('fails its run with the reason and an alert; the next run starts and succeeds', async () => {
    let victim = await h.spawn(() => startHangingWorker(h.ctx, FAST));
    const run = await h.service.startRun({ recipes: ['popularity-count'] });
    for (let kill = 1; kill <= 3; kill += 1) {
      await waitFor(`train to start (time ${kill})`, () => Promise.resolve(victim.output().includes(TRAIN_STARTED)));
      // The next worker is up before the kill: it takes the job over as soon as the lock expires.
      const next = await h.spawn(() => (kill < 3 ? startHangingWorker(h.ctx, FAST) : startChildWorker(h.ctx, FAST)));
      victim.proc.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      victim = next;
    }
    const failed = await h.finished(run.id, 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^train: job train-run-\S+ failed: its worker died mid-stage too many times/);
    expect(failed.stages.train).toMatchObject({ status: 'failed' });
    expect((await h.failureAlert(run.id))?.message).toContain(`pipeline run ${run.id} failed in train`);

    const next = await h.service.startRun({ recipes: ['popularity-count'] });
    expect((await h.finished(next.id)).status).toBe('succeeded');
    // A run that gets through clears the failure alert (just after it is marked succeeded).
    await waitFor('the failure alert to be resolved', async () => (await h.failureAlert(run.id)) === null);
  });
});

describe('Redis (a server of our own) restarted or down', () => {
  let own: OwnRedis;
  let h: PipelineHarness;
  beforeAll(async () => {
    own = await startOwnRedis();
    h = await createPipelineHarness({ REDIS_URL: own.url, ENQUEUE_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await own.start();
    await h.close();
    await own.stop();
  });

  it('right after a stage finished: the lost job fails its run, the schedules come back, the next run succeeds', async () => {
    // Only export-datasets is consumed, so the train job it queues waits in Redis when Redis goes.
    await h.spawn(() => startChildWorker(h.ctx, FAST, ['--queues', QUEUE.exportDatasets]));
    const sweeper = await h.spawn(() =>
      startChildWorker(h.ctx, { ...FAST, SCHEDULES_ENABLED: 'true' }, ['--queues', QUEUE.scheduler]),
    );
    const run = await h.service.startRun({ recipes: ['popularity-count'] });
    await waitFor('train to be queued', async () => {
      const r = await h.service.getRun(run.id);
      if (r?.stages['export-datasets']?.status !== 'succeeded') return false;
      return (await h.queues.stageJob(QUEUE.train, runKeyOf(r))).state === 'waiting';
    });
    expect(await h.queues.get(QUEUE.scheduler).getJobSchedulersCount()).toBe(SCHEDULES.length);

    await own.stop();
    await own.start();
    const failed = await h.finished(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^train: no live job: train-run-\S+ is not in Redis/);
    expect(await h.failureAlert(run.id)).not.toBeNull();
    await waitFor('the job schedulers to be re-registered', async () =>
      (await h.queues.get(QUEUE.scheduler).getJobSchedulersCount()) === SCHEDULES.length ? true : null,
    );
    expect(sweeper.output()).toContain('re-registering');

    await h.spawn(() => startChildWorker(h.ctx, FAST));
    const next = await h.service.startRun({ recipes: ['popularity-count'] });
    expect((await h.finished(next.id)).status).toBe('succeeded');
    await Promise.all(h.workers.map((w) => w.stop('SIGTERM')));
  });

  it('down when a run starts: the run row is failed at once with the reason; the next start works', async () => {
    await own.stop();
    const started = Date.now();
    const attempt = h.service.startRun({ recipes: ['popularity-count'] });
    await expect(attempt).rejects.toBeInstanceOf(RunEnqueueError);
    await expect(attempt).rejects.toThrow(/could not queue its first job: Redis did not take the job within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const [latest] = await h.service.listRuns({ first: 1 });
    expect(latest).toMatchObject({ status: 'failed' });
    expect(latest!.error).toMatch(/^export-datasets: could not queue its first job/);
    expect(await h.failureAlert(latest!.id)).not.toBeNull();

    await own.start();
    const again = await h.service.startRun({ recipes: ['popularity-count'] });
    expect(again.id).toBeGreaterThan(latest!.id);
    expect((await h.queues.stageJob(QUEUE.exportDatasets, runKeyOf(again))).state).toBe('waiting');
  });
});

describe('config', () => {
  it('has production defaults: a sweep every minute, two minutes of grace, 10 s to queue', () => {
    expect(loadConfig({}).pipeline).toMatchObject({
      sweepIntervalMs: 60_000,
      stuckGraceMs: 120_000,
      enqueueTimeoutMs: 10_000,
    });
  });
});
