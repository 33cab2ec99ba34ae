// The BatchJob type: a batch_job_metadata row with its ids as strings.
import type { BatchJobResolvers } from './__generated__/resolvers-types';

export const BatchJob: BatchJobResolvers = {
  id: (j) => String(j.id),
  runId: (j) => (j.runId == null ? null : String(j.runId)),
};
