// The PipelineRun type: the PipelineService's run view, with the status in the schema's spelling,
// times as DateTime and every stage listed in pipeline order.
import type { RunStatus, StageState } from '../pipeline/pipeline-service';
import { STAGES } from '../queues/registry';
import type { PipelineRunStatus } from '../schema/__generated__/schema-types';
import type { PipelineRunResolvers } from './__generated__/resolvers-types';
import { counts } from './field-formats';

const STATUS: Record<RunStatus, PipelineRunStatus> = {
  queued: 'QUEUED',
  running: 'RUNNING',
  waiting: 'WAITING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

export const PipelineRun: PipelineRunResolvers = {
  id: (r) => String(r.id),
  status: (r) => STATUS[r.status],
  durationMs: (r) => (r.startedAt ? (r.finishedAt ?? new Date()).getTime() - new Date(r.startedAt).getTime() : null),
  stages: (r) =>
    STAGES.map((name) => {
      const s: StageState = r.stages[name] ?? { status: 'pending' };
      return {
        name,
        status: s.status,
        progress: s.progress ?? null,
        message: s.message ?? null,
        startedAt: s.startedAt ?? null,
        finishedAt: s.finishedAt ?? null,
        durationMs: s.durationMs ?? null,
        attempts: s.attempts ?? null,
        counts: counts(s.counts),
        error: s.error ?? null,
      };
    }),
};
