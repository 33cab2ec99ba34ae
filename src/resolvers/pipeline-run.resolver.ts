// The PipelineRun, BatchJob, ModelVersion, Alert and Schedule types: views of rows and of the
// PipelineService's run view, with times as ISO-8601 strings.
import type { PipelineRunView, StageState } from '../pipeline/pipeline-service';
import { STAGES } from '../queues/registry';
import type { AlertRow, BatchJobRow, ModelVersionRow } from '../serving/admin-reads';

const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
const counts = (c: Record<string, number> | null | undefined) =>
  Object.entries(c ?? {})
    .filter(([, v]) => typeof v === 'number')
    .map(([name, value]) => ({ name, value }));

export const PipelineRun = {
  id: (r: PipelineRunView) => String(r.id),
  status: (r: PipelineRunView) => r.status.toUpperCase(),
  createdAt: (r: PipelineRunView) => iso(r.createdAt),
  startedAt: (r: PipelineRunView) => iso(r.startedAt),
  finishedAt: (r: PipelineRunView) => iso(r.finishedAt),
  durationMs: (r: PipelineRunView) => (r.startedAt ? (r.finishedAt ?? new Date()).getTime() - new Date(r.startedAt).getTime() : null),
  stages: (r: PipelineRunView) =>
    STAGES.map((name) => {
      const s: StageState = r.stages[name] ?? { status: 'pending' };
      return { ...s, name, counts: counts(s.counts), startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt) };
    }),
};

export const BatchJob = {
  id: (j: BatchJobRow) => String(j.id),
  runId: (j: BatchJobRow) => (j.runId == null ? null : String(j.runId)),
  startedAt: (j: BatchJobRow) => iso(j.startedAt),
  completedAt: (j: BatchJobRow) => iso(j.completedAt),
};

export const ModelVersion = {
  id: (m: ModelVersionRow) => String(m.id),
  runId: (m: ModelVersionRow) => (m.runId == null ? null : String(m.runId)),
  trainedAt: (m: ModelVersionRow) => iso(m.trainedAt),
  metrics: (m: ModelVersionRow) => counts(m.metrics),
};

export const Alert = {
  id: (a: AlertRow) => String(a.id),
  raisedAt: (a: AlertRow) => iso(a.raisedAt),
};

export const Schedule = {
  next: (s: { next?: Date | null }) => iso(s.next),
};
