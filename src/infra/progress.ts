// What long library work (importers, the store generator) reports its progress to. The output
// itself (a bar on a terminal, log lines otherwise) is src/terminal/progress.ts, for CLI commands and the demo.

export interface Progress {
  /** Sets the total and the unit (e.g. 'bytes', 'lines'); may be called again for a new phase. */
  start(label: string, total: number, unit: string): void;
  /** `total` when it changed (a count learnt as the work goes); `detail` is shown after the figures. */
  update(done: number, more?: { total?: number; detail?: string }): void;
  stop(): void;
}

/** For library callers and tests: reports nothing. */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };
