// Progress output of the CLI and the demo, in one place: a bar (cli-progress) on a terminal and
// periodic log lines otherwise (CI logs, pipes), so a long command always shows that it is moving;
// and the live view of a pipeline run for `recs pipeline run --wait`, `recs pipeline status` and
// the demo. Outside src/cli so the demo can use it while the CLI imports the demo.
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../infra/progress';
import type { PipelineRunView, PipelineService, StageState } from '../pipeline/pipeline-service';
import { STAGES } from '../queues/registry';

export interface ProgressOptions {
  tty?: boolean;
  /** Where the non-TTY lines go. */
  write?: (line: string) => void;
  /** Minimum time between two non-TTY lines. */
  intervalMs?: number;
}

function human(n: number, unit: string): string {
  if (unit === 'bytes') return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`;
  return `${n.toLocaleString('en-US')} ${unit}`;
}

export function createProgress(opts: ProgressOptions = {}): Progress {
  // Node's types say boolean, but a piped stderr is not a tty.WriteStream and has no isTTY at all.
  const stderr: { isTTY?: boolean } = process.stderr;
  const tty = opts.tty ?? stderr.isTTY ?? false;
  if (tty) {
    let bar: SingleBar | undefined;
    return {
      start(label, total, unit) {
        bar?.stop();
        bar = new SingleBar(
          {
            format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}{detail} | {duration}s`,
            stream: process.stderr,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(total, 0, { detail: '' });
      },
      update(done, more) {
        if (more?.total !== undefined) bar?.setTotal(more.total);
        bar?.update(done, { detail: more?.detail ? ` | ${more.detail}` : '' });
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const interval = opts.intervalMs ?? 5000;
  let state: { label: string; total: number; unit: string; last: number } | undefined;
  return {
    start(label, total, unit) {
      state = { label, total, unit, last: Date.now() };
      write(`${label}: started (${human(total, unit)})`);
    },
    update(done, more) {
      if (!state) return;
      if (more?.total !== undefined) state.total = more.total;
      const now = Date.now();
      if (now - state.last < interval) return;
      state.last = now;
      const pct = state.total > 0 ? Math.floor((100 * done) / state.total) : 100;
      const detail = more?.detail ? `, ${more.detail}` : '';
      write(`${state.label}: ${pct}% (${human(done, state.unit)} of ${human(state.total, state.unit)}${detail})`);
    },
    stop() {
      if (state) write(`${state.label}: done`);
      state = undefined;
    },
  };
}

const MARK: Record<StageState['status'], string> = {
  pending: '·',
  running: '▶',
  waiting: '⏳',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '■',
};

function textBar(percent: number, width = 20): string {
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
        ? `${textBar(s.progress ?? 0)} ${s.progress ?? 0}% ${s.message ?? ''}`
        : s.status === 'succeeded'
          ? `${time} ${counts(s.counts)}`
          : s.status === 'failed'
            ? (s.error ?? '')
            : s.status === 'skipped'
              ? (s.message ?? '')
              : '';
    lines.push(`  ${MARK[s.status]} ${stage.padEnd(16)} ${s.status.padEnd(9)} ${detail}`.trimEnd());
  }
  if (run.error) lines.push(`  error: ${run.error}`);
  return lines.join('\n');
}

export function isFinished(run: PipelineRunView): boolean {
  return run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
}

/** Polls the run row and redraws it until the run ends; returns the final view. */
export async function waitForRun(
  pipeline: PipelineService,
  runId: number,
  out: NodeJS.WriteStream = process.stdout,
): Promise<PipelineRunView> {
  let drawn = 0;
  for (;;) {
    const run = await pipeline.getRun(runId);
    if (!run) throw new Error(`pipeline run ${runId} disappeared`);
    const text = renderRun(run);
    if (out.isTTY) {
      if (drawn) out.write(`\x1b[${drawn}A\x1b[0J`);
      out.write(`${text}\n`);
      drawn = text.split('\n').length;
    } else if (isFinished(run)) {
      out.write(`${text}\n`);
    }
    if (isFinished(run)) return run;
    await sleep(out.isTTY ? 300 : 1000);
  }
}
