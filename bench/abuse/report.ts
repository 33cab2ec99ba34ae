// bench:abuse's table (one row per traffic stream of each phase) and its goals beside the figures.
import { printTable } from '../support/serving-harness';
import type { StreamResult } from './stream';

export interface PhaseRow {
  phase: string;
  stream: string;
  /** Requests the stream's fixed rate asks for over its duration. */
  target: number;
  result: StreamResult;
  /** Redis used_memory before and after the phase (MB). */
  memoryMb: [number, number];
}

export interface EventFigures {
  acknowledged: number;
  /** Acknowledged events found in PostgreSQL once the pauses ended. */
  storedOfAcknowledged: number;
  /** Every event of the bench's normal traffic in PostgreSQL (acknowledged or not). */
  storedAll: number;
  ghostKeys: number;
  hotCapMb: number;
}

const ms = (x: number) => x.toFixed(2);
const mb = (x: number) => x.toFixed(1);
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '-');

export function printReport(rows: PhaseRow[], events: EventFigures): void {
  process.stdout.write('\n');
  printTable(
    [
      'phase',
      'stream',
      'target requests',
      'sent',
      'answered',
      'timeouts / socket errors',
      'answers by code',
      'degraded (extensions.degraded)',
      'p50 ms',
      'p99 ms',
      'Redis used_memory MB before → after',
    ],
    rows.map((row) => {
      const r = row.result;
      return [
        row.phase,
        row.stream,
        row.target,
        r.sent,
        r.tally.answered,
        `${r.timeouts} / ${r.socketErrors}`,
        r.tally.codes(),
        r.tally.degraded,
        ms(r.p50),
        ms(r.p99),
        `${mb(row.memoryMb[0])} → ${mb(row.memoryMb[1])}`,
      ];
    }),
  );
  const normal = (phase: string) => rows.find((r) => r.phase.startsWith(phase) && r.stream === 'normal')?.result;
  const unloaded = normal('1');
  const abused = normal('2');
  process.stdout.write('\ngoals:\n');
  if (unloaded && abused)
    process.stdout.write(
      `- normal p99 under abuse ${ms(abused.p99)} ms vs unloaded ${ms(unloaded.p99)} ms: ${(abused.p99 / unloaded.p99).toFixed(2)}x (goal <= 2.00x)\n`,
    );
  for (const p of ['3', '4']) {
    const r = normal(p);
    const row = rows.find((x) => x.phase.startsWith(p));
    if (!r || !row) continue;
    const asked = r.sent;
    const errors = [...r.tally.byCode].filter(([c]) => c !== 'ok').reduce((n, [, k]) => n + k, 0);
    process.stdout.write(
      `- ${row.phase}: ${r.tally.answered} of ${asked} requests answered, ${pct(r.tally.answered, asked)} (goal 100%); ${r.tally.degraded} answers labelled degraded, ${errors} coded errors\n`,
    );
  }
  const lost = events.acknowledged - events.storedOfAcknowledged;
  process.stdout.write(
    `- events: ${events.acknowledged} acknowledged, ${events.storedOfAcknowledged} of them in PostgreSQL after the pauses, ${lost} lost (goal 0); ${events.storedAll} stored in all (an unacknowledged call may have committed)\n`,
  );
  const peak = Math.max(...rows.flatMap((r) => r.memoryMb));
  process.stdout.write(
    `- Redis memory: at most ${mb(peak)} MB at a phase boundary, hot-layer cap ${events.hotCapMb} MB (goal: at or under the cap); ${events.ghostKeys} keys name an unknown id after the hostile phase (goal 0)\n`,
  );
}
