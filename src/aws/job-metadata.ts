// batch_job_metadata: one row per Personalize job (import, training, batch), keyed by a name that
// is deterministic per run and recipe. The row is claimed before the job is created, so a crash
// between "create" and "record" is recovered by finding the job again instead of paying twice.
import type { Database } from '../db/database';

/** Personalize statuses, stored without the "CREATE " prefix: PENDING, IN_PROGRESS, ACTIVE, FAILED, STOPPED. */
export function normalizeStatus(status: string | undefined): string {
  return (status ?? 'UNKNOWN').replace(/^CREATE /, '').replace(/\s+/g, '_');
}

export const ACTIVE_STATUSES = ['SUBMITTING', 'PENDING', 'IN_PROGRESS'];

export interface JobRef {
  jobName: string;
  runId: number;
  recipe: string;
}

export class JobMetadata {
  constructor(private readonly db: Database) {}

  get(jobName: string) {
    return this.db.prisma.batchJobMetadata.findUnique({ where: { jobName } });
  }

  /**
   * The job's ARN: the recorded one, or one found in AWS (`find`, told when an earlier attempt
   * claimed the name), or a newly created one.
   */
  async ensure(ref: JobRef, find: (claimedAt?: Date) => Promise<string | undefined>, create: () => Promise<string>): Promise<{ arn: string; created: boolean }> {
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

  async record(
    ref: JobRef,
    fields: { jobArn?: string; status?: string; failureReason?: string | null; startedAt?: Date; completedAt?: Date | null },
  ): Promise<void> {
    await this.db.prisma.batchJobMetadata.upsert({
      where: { jobName: ref.jobName },
      create: { jobName: ref.jobName, runId: ref.runId, recipeName: ref.recipe, startedAt: fields.startedAt ?? new Date(), ...fields },
      update: fields,
    });
  }

  /** Batch jobs submitted or running, across every run: the 5-at-once limit is per account. */
  async activeBatchJobs(staleAfterMs: number): Promise<number> {
    return this.db.prisma.batchJobMetadata.count({
      where: {
        jobName: { contains: '-batch-' },
        status: { in: ACTIVE_STATUSES },
        startedAt: { gte: new Date(Date.now() - staleAfterMs) },
      },
    });
  }
}
