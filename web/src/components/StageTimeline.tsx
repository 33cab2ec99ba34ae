// A run's stages as a timeline: each stage's bar is as long as its share of the run's time, with
// its status, progress, counts and error.
import type { RunPageQuery } from '../graphql/__generated__/graphql';
import { duration, number } from './format';
import { StatusBadge } from './StatusBadge';

type Stage = NonNullable<RunPageQuery['pipelineRun']>['stages'][number];

export function StageTimeline({ stages }: { stages: readonly Stage[] }) {
  const total = stages.reduce((sum, s) => sum + (s.durationMs ?? 0), 0) || 1;
  return (
    <ol className="timeline" aria-label="Stages">
      {stages.map((s) => (
        <li key={s.name} className={`stage stage-${s.status}`}>
          <div className="stage-head">
            <strong>{s.name}</strong> <StatusBadge status={s.status} /> <span>{duration(s.durationMs)}</span>
            {s.attempts != null && s.attempts > 1 && <span> ({s.attempts} attempts)</span>}
          </div>
          <div className="bar" aria-hidden="true">
            <span style={{ width: `${Math.max(1, (100 * (s.durationMs ?? 0)) / total)}%` }} />
          </div>
          {(s.status === 'running' || s.status === 'waiting') && (
            <div className="progress-line">
              <progress max={100} value={s.progress ?? undefined} aria-label={`${s.name} progress`} />{' '}
              {s.progress != null ? `${number(s.progress, 0)}%` : ''} {s.message ?? ''}
            </div>
          )}
          {s.counts.length > 0 && (
            <ul className="counts">
              {s.counts.map((c) => (
                <li key={c.name}>
                  {c.name}: {number(c.value, Number.isInteger(c.value) ? 0 : 2)}
                </li>
              ))}
            </ul>
          )}
          {s.error && (
            <p role="alert" className="error">
              {s.error}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
