// BullMQ queues for every name in the registry, built once per process and passed in.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Enqueuer } from '../pipeline/stage-runner';
import {
  DEFAULT_JOB_OPTIONS,
  QUEUE_NAMES,
  stageJobId,
  type JobDataFor,
  type QueueName,
  type StageJobData,
  type StageName,
} from './registry';

export class Queues implements Enqueuer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(config: Pick<Config, 'redis'>, connection: Redis) {
    for (const name of QUEUE_NAMES) {
      this.queues.set(name, new Queue(name, { connection, prefix: config.redis.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
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

  async add<Q extends QueueName>(name: Q, data: JobDataFor<Q>, opts: { jobId?: string; delayMs?: number } = {}): Promise<void> {
    await this.get(name).add(name, data, { jobId: opts.jobId, delay: opts.delayMs });
  }

  async enqueueStage(stage: StageName, data: StageJobData, opts: { delayMs?: number } = {}): Promise<void> {
    await this.get(stage).add(stage, data, { jobId: stageJobId(stage, data.runKey, data.poll?.attempt), delay: opts.delayMs });
  }

  /** Removes the waiting and delayed jobs of one run (cancellation). */
  async removeRunJobs(runId: number): Promise<number> {
    let removed = 0;
    for (const q of this.queues.values()) {
      for (const job of await q.getJobs(['waiting', 'delayed', 'prioritized'])) {
        if ((job.data as Partial<StageJobData>)?.runId === runId) {
          await job.remove();
          removed += 1;
        }
      }
    }
    return removed;
  }

  async depths(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, q] of this.queues) {
      out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
