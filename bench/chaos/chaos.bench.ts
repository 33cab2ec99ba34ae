// Chaos bench (issue 12): each scenario in scenarios.ts runs end to end against real processes
// (worker processes, PostgreSQL, Redis; Redis restarts on a server of the bench's own), does
// something bad to them, and waits for the system to recover without a person. The table: the
// scenario, webhooks acknowledged vs orders stored, runs stuck, rows lost, time to recover and
// whether the alert was raised. Goal for every row: 0 lost, 0 stuck, recovered. The baseline,
// measured in the same run, is one undisturbed pipeline run through a worker process: the
// recovery times are read against it (the machine is noisy).
//   npm run bench:chaos [-- --only "name,name"]
import { parseArgs } from 'node:util';
import { startChildWorker } from '../../test/support/child-worker';
import { createPipelineHarness, FAST_RECOVERY } from '../../test/support/pipeline-harness';
import { present } from '../support/present';
import type { ChaosOutcome } from './chaos-scenario';
import { SCENARIOS } from './scenarios';
import { RECIPES } from './scenarios/pipeline-scenario-support';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only?.split(',').map((s) => s.trim().toLowerCase());

async function baselineRunMs(): Promise<number> {
  const h = await createPipelineHarness();
  try {
    await h.spawn(() => startChildWorker(h.ctx, FAST_RECOVERY));
    const started = Date.now();
    const run = await h.service.startRun({ recipes: RECIPES });
    const done = await h.finished(run.id);
    if (done.status !== 'succeeded') throw new Error(`baseline run ${done.status}: ${done.error ?? ''}`);
    return Date.now() - started;
  } finally {
    await h.close();
  }
}

const secs = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function row(name: string, o: ChaosOutcome, baselineMs: number): string[] {
  return [
    name,
    o.webhooks ? `${o.webhooks.acknowledged} / ${o.webhooks.ordersStored}` : 'n/a',
    String(o.runsStuck),
    String(o.rowsLost),
    o.recoverMs === null ? 'never' : `${secs(o.recoverMs)} (${(o.recoverMs / baselineMs).toFixed(1)}x)`,
    o.alertRaised === null ? 'n/a' : o.alertRaised ? 'yes' : 'NO',
    o.note,
  ];
}

function table(rows: string[][]): string {
  const widths = present(rows[0], 'the header row').map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const chosen = SCENARIOS.filter((s) => !only || only.some((o) => s.name.toLowerCase().includes(o)));
  const baselineMs = await baselineRunMs();
  console.log(`baseline: one undisturbed run (${RECIPES.join(', ')}) through a worker process: ${secs(baselineMs)}`);
  const rows = [
    [
      'scenario',
      'webhooks acked / orders stored',
      'runs stuck',
      'rows lost',
      'time to recover (x baseline)',
      'alert',
      'note',
    ],
  ];
  let bad = 0;
  for (const s of chosen) {
    process.stdout.write(`running: ${s.name} ...\n`);
    try {
      const o = await s.run();
      const lostWebhooks = o.webhooks ? o.webhooks.acknowledged - o.webhooks.ordersStored : 0;
      if (o.runsStuck || o.rowsLost || lostWebhooks || o.recoverMs === null || o.alertRaised === false) bad += 1;
      rows.push(row(s.name, o, baselineMs));
    } catch (err) {
      bad += 1;
      rows.push([s.name, '?', '?', '?', 'never', '?', `scenario crashed: ${(err as Error).message.slice(0, 80)}`]);
    }
  }
  console.log(table(rows));
  console.log(
    bad ? `${bad} scenario(s) missed the goal (0 lost, 0 stuck, recovered, alerted)` : 'every scenario met the goal',
  );
  process.exitCode = bad ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
