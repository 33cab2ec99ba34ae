// Progress for long commands: a bar (cli-progress) on a terminal, periodic log lines otherwise
// (CI logs, pipes), so a long job always shows that it is moving.
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  /** Sets the total and the unit (e.g. 'bytes', 'lines'); may be called again for a new phase. */
  start(label: string, total: number, unit: string): void;
  update(done: number): void;
  stop(): void;
}

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
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  if (tty) {
    let bar: SingleBar | undefined;
    return {
      start(label, total, unit) {
        bar?.stop();
        bar = new SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration}s`, stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(total, 0);
      },
      update(done) {
        bar?.update(done);
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const interval = opts.intervalMs ?? 5000;
  let state: { label: string; total: number; unit: string; last: number; done: number } | undefined;
  return {
    start(label, total, unit) {
      state = { label, total, unit, last: Date.now(), done: 0 };
      write(`${label}: started (${human(total, unit)})`);
    },
    update(done) {
      if (!state) return;
      state.done = done;
      const now = Date.now();
      if (now - state.last < interval) return;
      state.last = now;
      const pct = state.total > 0 ? Math.floor((100 * done) / state.total) : 100;
      write(`${state.label}: ${pct}% (${human(done, state.unit)} of ${human(state.total, state.unit)})`);
    },
    stop() {
      if (state) write(`${state.label}: done`);
      state = undefined;
    },
  };
}

/** For library callers and tests: reports nothing. */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };
