// The BatchJob type: a batch_job_metadata row with its ids as strings and times as ISO-8601.
import type { BatchJobResolvers } from './__generated__/resolvers-types';
import { iso } from './field-formats';

export const BatchJob: BatchJobResolvers = {
  id: (j) => String(j.id),
  runId: (j) => (j.runId == null ? null : String(j.runId)),
  startedAt: (j) => iso(j.startedAt),
  completedAt: (j) => iso(j.completedAt),
};
