// Runs `recs worker` as a separate process against a test context's schema and queue prefix,
// as production does, so tests can kill it (SIGKILL) or stop it (SIGTERM) mid-stage.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from './test-context';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');
const RUN_TS = path.resolve(__dirname, '..', '..', 'bin', 'run-ts.js');
const HANGING_WORKER = path.resolve(__dirname, 'hanging-worker.ts');
const BAD_BATCH_WORKER = path.resolve(__dirname, 'bad-batch-worker.ts');

export interface ChildWorker {
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChildWorker(ctx: TestContext, env: Record<string, string> = {}, args: string[] = []): ChildWorker {
  return spawnWorker(ctx, [BIN, 'worker', ...args], env);
}

/** Any `recs` command as a process against the test context (e.g. `sync shopify --bulk`), to kill mid-work. */
export function startChildCli(ctx: TestContext, args: string[], env: Record<string, string> = {}): ChildWorker {
  return spawnWorker(ctx, [BIN, ...args], env);
}

/** A worker process whose engine hangs in train (hanging-worker.ts): kill it there at will. */
export function startHangingWorker(ctx: TestContext, env: Record<string, string> = {}): ChildWorker {
  return spawnWorker(ctx, [RUN_TS, HANGING_WORKER], env);
}

/** A worker process whose batch output is mostly failed lines (bad-batch-worker.ts). */
export function startBadBatchWorker(ctx: TestContext, env: Record<string, string> = {}): ChildWorker {
  return spawnWorker(ctx, [RUN_TS, BAD_BATCH_WORKER], env);
}

function spawnWorker(ctx: TestContext, argv: string[], env: Record<string, string>): ChildWorker {
  let out = '';
  const proc = spawn(process.execPath, argv, {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: ctx.config.database.url,
      DATABASE_SCHEMA: ctx.config.database.schema,
      REDIS_URL: ctx.config.redis.url,
      QUEUE_PREFIX: ctx.config.redis.prefix,
      OBJECT_STORE_DIR: ctx.config.objectStore.dir,
      SCHEDULES_ENABLED: 'false',
      ENGINE_TUNING: String(ctx.config.engine.tuning.enabled),
      TUNING_BUDGET_SECONDS: String(ctx.config.engine.tuning.budgetMs / 1000),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  return {
    proc,
    output: () => out,
    exited,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Resolves once the worker has logged that it is consuming its queues. */
export async function waitForWorkerReady(w: ChildWorker, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!w.output().includes('workers ready')) {
    if (w.proc.exitCode !== null) throw new Error(`worker exited early:\n${w.output()}`);
    if (Date.now() > deadline) throw new Error(`worker not ready after ${timeoutMs} ms:\n${w.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
