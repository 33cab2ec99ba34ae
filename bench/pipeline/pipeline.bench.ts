// Pipeline benchmark (issue 4): the whole pipeline at the reference size on the built-in engine.
// First every stage function runs directly, in this process, one after the other; then the same
// pipeline runs through BullMQ in a separate worker process. The ratio of the queued end-to-end
// time to the sum of the direct stage times is the orchestration overhead. Both runs tune (the
// queued one is started with retune, as the retune schedule starts one), so the end-to-end figure
// is a FULL run with tuning. The last lines are the goals' figures: end to end, trials fitted in
// the tuning budget, NDCG@10 per recipe. The old system took 4-6 hours for the same work.
//   npm run bench:pipeline [-- --customers N --products M --interactions K]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildServices } from '../../src/app/services';
import { RECIPES } from '../../src/engine/training-engine';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';
import { planStages } from '../../src/pipeline/stage-chain';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { waitForRun } from '../../src/terminal/progress';
import { runStagesDirectly } from '../support/direct-pipeline';
import { dropBenchSchema, freshBenchConfig, peakRssMb, seconds } from '../support/bench-schema';
import { present } from '../support/present';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '180484' },
    products: { type: 'string', default: '4182' },
    interactions: { type: 'string', default: '1971527' },
    keep: { type: 'boolean', default: false },
  },
});
const size = {
  customers: Number(values.customers),
  products: Number(values.products),
  interactions: Number(values.interactions),
};

async function main(): Promise<void> {
  const config = await freshBenchConfig('bench_pipeline', { RECIPES: RECIPES.join(',') });
  const services = buildServices(config, { name: 'bench' });
  const { db } = services;
  try {
    let t = Date.now();
    const store = generateSyntheticStore({ ...size, seed: 42 });
    await writeSyntheticStore(db, store);
    console.log(
      `store: ${size.customers} customers, ${size.products} products, ${size.interactions} interactions, written in ${seconds(Date.now() - t)} s`,
    );

    // Direct: the stage functions alone, in this process.
    const directTimes = await runStagesDirectly(services, config, RECIPES);
    const directRss = Math.round(process.resourceUsage().maxRSS / 1024);

    // Queued: the same pipeline through BullMQ, in a separate worker process.
    const worker = spawn(process.execPath, [path.resolve(__dirname, '../../bin/recs.js'), 'worker'], {
      env: {
        ...process.env,
        DATABASE_SCHEMA: config.database.schema,
        QUEUE_PREFIX: config.redis.prefix,
        OBJECT_STORE_DIR: config.objectStore.dir,
        SCHEDULES_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        RECIPES: RECIPES.join(','),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      worker.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('workers ready')) resolve();
      });
      worker.once('exit', (code) => {
        reject(new Error(`worker exited with ${code}`));
      });
    });
    const workerPid = present(worker.pid, 'worker pid');
    let workerPeak = 0;
    const sampler = setInterval(() => {
      workerPeak = Math.max(workerPeak, peakRssMb(workerPid) ?? 0);
    }, 200);
    t = Date.now();
    // retune: without it the queued run would reuse the direct run's tuning (tuning-policy.ts).
    const run = await services.pipeline.startRun({ trigger: 'bench', recipes: [...RECIPES], retune: true });
    const final: PipelineRunView = await waitForRun(services.pipeline, run.id, process.stdout);
    const endToEnd = Date.now() - t;
    clearInterval(sampler);
    workerPeak = Math.max(workerPeak, peakRssMb(workerPid) ?? 0);
    worker.kill('SIGTERM');
    if (final.status !== 'succeeded') throw new Error(`queued run ${final.status}: ${final.error}`);

    const sumDirect = Object.values(directTimes).reduce((a, b) => a + b, 0);
    console.log('\nstage             direct s   queued s   rows');
    for (const stage of planStages({ syncFirst: false })) {
      const s = present(final.stages[stage], `the run's ${stage} stage`);
      const rows =
        Object.entries(s.counts ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') ||
        s.message ||
        '';
      console.log(
        `${stage.padEnd(16)} ${seconds(present(directTimes[stage], `the direct time of ${stage}`)).padStart(8)}   ${seconds(s.durationMs ?? 0).padStart(8)}   ${rows}`,
      );
    }
    console.log(`\nsum of stage functions run directly: ${seconds(sumDirect)} s`);
    console.log(
      `end to end through BullMQ (worker process): ${seconds(endToEnd)} s (goal: <= 120 s; old system: 4-6 hours)`,
    );
    console.log(`orchestration overhead ratio (end to end / direct sum): ${(endToEnd / sumDirect).toFixed(3)}`);
    console.log(`peak RSS: bench process (direct stages) ${directRss} MB, worker process ${workerPeak} MB`);
    // What each run's train stage did with tuning (tune, reuse, untuned) and the budget's own account.
    const tunings = await db.pool.query<{ run_id: number; tuning: Record<string, unknown> | null }>(
      `SELECT DISTINCT ON (run_id) run_id, tuning FROM model_versions WHERE recipe = 'user-personalization' ORDER BY run_id, id`,
    );
    const trialsOf = (tuning: Record<string, unknown> | null) =>
      Array.isArray(tuning?.trials) ? tuning.trials.length : 0;
    for (const { run_id, tuning } of tunings.rows) {
      const b = (tuning?.budget ?? null) as Record<string, unknown> | null;
      console.log(
        `run ${run_id} tuning: ${String(tuning?.status)}${typeof tuning?.stoppedBy === 'string' ? ` (stopped by ${tuning.stoppedBy})` : ''}; ` +
          `${trialsOf(tuning)} trials; chosen ${JSON.stringify(tuning?.chosen ?? null)}; validation ${JSON.stringify(tuning?.validation ?? null)}; ` +
          `budget ${JSON.stringify(b)}; sample ${JSON.stringify((tuning?.window as Record<string, unknown> | undefined)?.sample ?? null)}`,
      );
    }
    // The goals' figures in one place: the queued FULL run with tuning, end to end, its trials, its NDCG@10.
    const queued = tunings.rows.find((r) => r.run_id === run.id)?.tuning ?? null;
    const ndcg = Object.entries(final.stages.evaluate?.counts ?? {})
      .filter(([k]) => k.endsWith('.normalized_discounted_cumulative_gain_at_10') && !k.startsWith('live.'))
      .map(([k, v]) => `${k.split('.')[0]} ${v.toFixed(3)}`);
    console.log(
      `\ngoals: FULL run with tuning end to end ${seconds(endToEnd)} s (goal < 180 s); ` +
        `tuning ${String(queued?.status)}, ${trialsOf(queued)} trials in ${((Number(queued?.budgetMs) || 0) / 1000).toFixed(0)} s ` +
        `(spent ${(((queued?.budget as Record<string, unknown> | undefined)?.spentMs as number | undefined) ?? 0) / 1000} s); ` +
        `NDCG@10 ${ndcg.join(', ')} (ccbe7d3: user-personalization 0.221, item-affinity 0.184, similar-items 0.185)`,
    );
  } finally {
    await services.close();
    if (!values.keep) await dropBenchSchema(config);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
