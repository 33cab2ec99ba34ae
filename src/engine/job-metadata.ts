// batch_job_metadata, and the only module that writes it: one row per engine job (AWS: dataset
// import, training, batch; built-in engine: batch), named <namespace>-r<run>-<kind>-<subject> (the
// namespace is the Personalize dataset group, or `local`), so a rerun finds its row again. The row
// is claimed before an external job is created, so a crash between "create" and "record" is
// recovered by finding the job again instead of paying twice.
import { createHash } from 'node:crypto';
import type { Database } from '../db/database';

/**
 * REFERENCE.md's vocabulary (Personalize's statuses without the "CREATE " prefix), which the
 * failed-jobs alert counts on: SUBMITTING, QUEUED, PENDING, IN_PROGRESS, ACTIVE (finished),
 * FAILED, STOPPING, STOPPED.
 */
export const ACTIVE_STATUSES = ['SUBMITTING', 'PENDING', 'IN_PROGRESS'];

export type JobKind = 'import' | 'train' | 'batch';

export interface JobRef {
  jobName: string;
  runId: number;
  recipe: string;
}

/**
 * At most 63 characters of [a-zA-Z0-9_-] (Personalize's rule; job names are also the AWS jobs'
 * own names); long ones keep a hash suffix so they stay unique.
 */
export function boundedName(...parts: (string | number)[]): string {
  const raw = parts.join('-').replace(/[^a-zA-Z0-9_-]/g, '-');
  if (raw.length <= 63) return raw;
  const hash = createHash('sha1').update(raw).digest('hex').slice(0, 8);
  return `${raw.slice(0, 54)}-${hash}`;
}

export function jobName(namespace: string, runId: number, kind: JobKind, subject: string): string {
  return boundedName(namespace, `r${runId}`, kind, subject);
}

export interface JobFields {
  jobArn?: string;
  status?: string;
  failureReason?: string | null;
  startedAt?: Date;
  completedAt?: Date | null;
}

export class JobMetadata {
  constructor(private readonly db: Database) {}

  get(name: string) {
    return this.db.prisma.batchJobMetadata.findUnique({ where: { jobName: name } });
  }

  /**
   * The job's ARN: the recorded one, or one found in AWS (`find`, told when an earlier attempt
   * claimed the name), or a newly created one.
   */
  async ensure(
    ref: JobRef,
    find: (claimedAt?: Date) => Promise<string | undefined>,
    create: () => Promise<string>,
  ): Promise<{ arn: string; created: boolean }> {
    const row = await this.get(ref.jobName);
    if (row?.jobArn) return { arn: row.jobArn, created: false };
    const found = await find(row?.startedAt ?? undefined);
    if (found) {
      await this.record(ref, { jobArn: found, status: 'PENDING' });
      return { arn: found, created: false };
    }
    if (!row) await this.record(ref, { status: 'SUBMITTING', startedAt: new Date() });
    const arn = await create();
    await this.record(ref, { jobArn: arn, status: 'PENDING' });
    return { arn, created: true };
  }

  async record(ref: JobRef, fields: JobFields): Promise<void> {
    await this.db.prisma.batchJobMetadata.upsert({
      where: { jobName: ref.jobName },
      create: {
        jobName: ref.jobName,
        runId: ref.runId,
        recipeName: ref.recipe,
        startedAt: fields.startedAt ?? new Date(),
        ...fields,
      },
      update: fields,
    });
  }

  /** The namespace's batch jobs submitted or running, across every run (AWS's limit is per account). */
  async activeBatchJobs(namespace: string, staleAfterMs: number): Promise<number> {
    return this.db.prisma.batchJobMetadata.count({
      where: {
        jobName: { startsWith: `${namespace}-`, contains: '-batch-' },
        status: { in: ACTIVE_STATUSES },
        startedAt: { gte: new Date(Date.now() - staleAfterMs) },
      },
    });
  }
}
