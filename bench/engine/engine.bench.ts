// Speed and memory of the built-in engine at the reference size (180,484 customers, 4,182
// products, 1,971,527 interactions; REFERENCE.md). Goal: training all five recipes plus batch
// inference for every customer and product within 60 s, peak memory under 3 GB.
// Each phase runs in its own child process (as the pipeline's train and batch-infer stages do), so
// each reports its own time and peak RSS. A popularity-only run in the same invocation is the
// baseline of the ratio. Data: the synthetic store generator (seed 42), cached under the OS temp dir.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writePersonalizeCsvFiles } from '../../src/generate/personalize-csv-writer';
import { LocalEngine } from '../../src/engine/local/local-engine';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/infra/logger';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { RECIPES, runLayout, type EngineContext, type RecipeName } from '../../src/engine/training-engine';
import { present } from '../support/present';

const SIZE = { customers: 180_484, products: 4_182, interactions: 1_971_527 };
const END = new Date('2026-11-01T00:00:00Z');
const args = process.argv.slice(2);
const scale = Number(args[args.indexOf('--scale') + 1]) || 1;
const root = path.join(tmpdir(), `storefront-recs-bench-engine-${scale}`);

interface PhaseResult {
  phase: string;
  ms: number;
  /** CPU time of the process, all threads: what the phase costs on an idle machine. */
  cpuMs: number;
  maxRssMb: number;
}
const workersArg = args.indexOf('--workers');
const workers = workersArg >= 0 ? Number(args[workersArg + 1]) : undefined;

function context(recipes: RecipeName[], runId: number): EngineContext {
  const store = new DirectoryObjectStore(root);
  return {
    runId,
    mode: 'FULL',
    recipes,
    store,
    layout: { ...runLayout(runId), ...datasetKeys() },
    logger: createLogger({ logLevel: 'warn' }),
    progress: () => Promise.resolve(),
  };
}

function datasetKeys() {
  const l = runLayout(0);
  return { interactions: l.interactions, items: l.items, users: l.users };
}

async function child(phase: string): Promise<void> {
  const engine = new LocalEngine(loadConfig({}).engine, workers === undefined ? {} : { workers });
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (phase === 'popularity-only') {
    const ctx = context(['popularity-count'], 1);
    await engine.train(ctx);
    await engine.batchInfer(ctx);
  } else if (phase === 'train') {
    await engine.train(context([...RECIPES], 2));
  } else if (phase === 'end-to-end') {
    const ctx = context([...RECIPES], 3);
    await engine.train(ctx);
    await engine.batchInfer(ctx);
  } else {
    await engine.batchInfer(context([phase as RecipeName], 2));
  }
  const used = process.cpuUsage(cpu);
  const result: PhaseResult = {
    phase,
    ms: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(phase: string): PhaseResult {
  const out = execFileSync(
    process.execPath,
    [
      path.join(__dirname, '..', '..', 'bin', 'run-ts.js'),
      __filename,
      '--child',
      phase,
      '--scale',
      String(scale),
      ...(workers === undefined ? [] : ['--workers', String(workers)]),
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(present(out.trim().split('\n').pop(), `the result line of phase ${phase}`)) as PhaseResult;
}

async function main(): Promise<void> {
  const phaseArg = args.indexOf('--child');
  if (phaseArg >= 0) return child(present(args[phaseArg + 1], 'the phase after --child'));
  const size = {
    customers: Math.round(SIZE.customers * scale),
    products: Math.round(SIZE.products * Math.min(1, scale * 4)),
    interactions: Math.round(SIZE.interactions * scale),
  };
  const data = path.join(root, 'runs', '0', 'datasets');
  if (!existsSync(path.join(data, 'users.csv'))) {
    const t = performance.now();
    await writePersonalizeCsvFiles(generateSyntheticStore({ ...size, seed: 42, end: END }), data);
    process.stdout.write(`generated the synthetic store in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(
    `data: ${data} (${size.customers} customers, ${size.products} products, ${size.interactions} interactions)\n\n`,
  );
  const phases = ['popularity-only', 'train', ...RECIPES];
  const results = phases.map((p) => runChild(p));
  // The same work in one process (train, then batch inference of all five recipes sharing one
  // model load and one worker pool), as a pipeline worker running both stages would do it.
  const single = runChild('end-to-end');
  process.stdout.write(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores\n`,
  );
  process.stdout.write('| phase | wall time (s) | CPU time, all threads (s) | peak RSS (MB) |\n|---|---|---|---|\n');
  for (const r of results)
    process.stdout.write(
      `| ${r.phase === 'train' ? 'train (all five recipes)' : r.phase === 'popularity-only' ? 'popularity-only (train + infer)' : `batch inference: ${r.phase}`} | ${(r.ms / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${r.maxRssMb.toFixed(0)} |\n`,
    );
  const all = results.slice(1);
  const total = all.reduce((s, r) => s + r.ms, 0);
  const cpuTotal = all.reduce((s, r) => s + r.cpuMs, 0);
  const peak = Math.max(...all.map((r) => r.maxRssMb));
  const pop = present(results[0], 'the popularity-only phase').ms;
  process.stdout.write(
    `\nall five recipes, train + batch inference: ${(total / 1000).toFixed(1)} s (goal <= 60 s: ${total <= 60_000 ? 'MET' : 'NOT MET'}), peak RSS ${peak.toFixed(0)} MB (goal < 3072 MB: ${peak < 3072 ? 'MET' : 'NOT MET'})\n`,
  );
  process.stdout.write(
    `one process, train + batch inference of all five recipes: ${(single.ms / 1000).toFixed(1)} s wall, ${(single.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${single.maxRssMb.toFixed(0)} MB\n`,
  );
  process.stdout.write(
    `CPU time, all phases: ${(cpuTotal / 1000).toFixed(1)} s; load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  process.stdout.write(
    `ratio to the popularity-only run: ${(total / pop).toFixed(1)}x (popularity-only ${(pop / 1000).toFixed(1)} s)\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
