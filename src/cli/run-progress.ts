// Live display of a pipeline run for `recs pipeline run --wait` and `recs pipeline status`.
import type { PipelineRunView, StageState } from '../pipeline/pipeline-service';
import { STAGES } from '../queues/registry';

const MARK: Record<StageState['status'], string> = {
  pending: '·',
  running: '▶',
  waiting: '⏳',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '■',
};

function bar(percent: number, width = 20): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function counts(c: Record<string, number> | undefined): string {
  if (!c) return '';
  return Object.entries(c)
    .map(([k, v]) => `${k}=${v.toLocaleString('en-US')}`)
    .join(' ');
}

export function renderRun(run: PipelineRunView): string {
  const lines = [`run ${run.id}  ${run.mode}  ${run.status}  engine=${run.engine}  recipes=${run.recipes.join(',')}`];
  for (const stage of STAGES) {
    const s = run.stages[stage];
    if (!s) continue;
    const time = s.durationMs !== undefined ? `${(s.durationMs / 1000).toFixed(1)}s` : '';
    const detail =
      s.status === 'running' || s.status === 'waiting'
        ? `${bar(s.progress ?? 0)} ${s.progress ?? 0}% ${s.message ?? ''}`
        : s.status === 'succeeded'
          ? `${time} ${counts(s.counts)}`
          : s.status === 'failed'
            ? `${s.error ?? ''}`
            : s.status === 'skipped'
              ? `${s.message ?? ''}`
              : '';
    lines.push(`  ${MARK[s.status]} ${stage.padEnd(16)} ${s.status.padEnd(9)} ${detail}`.trimEnd());
  }
  if (run.error) lines.push(`  error: ${run.error}`);
  return lines.join('\n');
}

export function isFinished(run: PipelineRunView): boolean {
  return run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
}
