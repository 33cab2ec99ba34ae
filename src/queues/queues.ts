// BullMQ queues for every name in the registry, built once per process and passed in. It is
// the stage runner's Enqueuer (src/jobs/stage-runner.ts) by shape, so this folder needs
// nothing from the pipeline.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import {
  DEFAULT_JOB_OPTIONS,
  QUEUE_NAMES,
  STAGES,
  stageJobId,
  type QueueName,
  type QueuePayloads,
  type StageJobData,
  type StageName,
} from './registry';

export class Queues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(config: Pick<Config, 'redis'>, connection: Redis) {
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, {
        connection,
        prefix: config.redis.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // As in createRedis: a lost connection surfaces through the call that fails (startRun's
      // enqueue timeout, the stuck-run sweep); unheard, BullMQ prints every reconnect attempt.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`no queue named ${name}`);
    return q;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** A job's name is its queue's name (the scheduler's jobs are named by BullMQ's job schedulers). */
  async add<Q extends QueueName>(
    name: Q,
    data: QueuePayloads[Q],
    opts: { jobId?: string; delayMs?: number } = {},
  ): Promise<void> {
    await this.get(name).add(name, data, { jobId: opts.jobId, delay: opts.delayMs });
  }

  async enqueueStage(stage: StageName, data: StageJobData, opts: { delayMs?: number } = {}): Promise<void> {
    await this.add(stage, data, { jobId: stageJobId(stage, data.runKey, data.poll?.attempt), delayMs: opts.delayMs });
  }

  /**
   * Where one stage job of a run is: its BullMQ state (null when Redis has no such job, e.g.
   * after a restart without persistence) and, once failed, why.
   */
  async stageJob(
    stage: StageName,
    runKey: string,
    pollAttempt?: number,
  ): Promise<{ id: string; state: string | null; failedReason?: string }> {
    const id = stageJobId(stage, runKey, pollAttempt);
    const queue = this.get(stage);
    // State first, then the hash: read the other way round, a job that fails between the two
    // reads shows 'failed' with the reason missing from the hash read before it was written.
    const state = await queue.getJobState(id);
    if (state === 'unknown') return { id, state: null };
    if (state !== 'failed') return { id, state };
    const job = await queue.getJob(id);
    return { id, state, ...(job?.failedReason === undefined ? {} : { failedReason: job.failedReason }) };
  }

  /** Removes the waiting and delayed jobs of one run (cancellation); only stage jobs belong to runs. */
  async removeRunJobs(runId: number): Promise<number> {
    let removed = 0;
    for (const stage of STAGES) {
      for (const job of await this.get(stage).getJobs(['waiting', 'delayed', 'prioritized'])) {
        if ((job.data as Partial<StageJobData> | undefined)?.runId === runId) {
          await job.remove();
          removed += 1;
        }
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
