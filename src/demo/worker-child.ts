// The demo runs its worker as a separate process, as production does.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../config/config';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');

export interface WorkerChild {
  pid: number;
  stop(): Promise<void>;
}

export function spawnWorkerProcess(
  config: Config,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<WorkerChild> {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      reject(new Error(`worker did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with code ${code} before it was ready`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (!buffered.includes('workers ready')) return;
      clearTimeout(timer);
      const { pid } = child;
      // A child that printed a line was spawned, so it has a pid; the check only narrows the type.
      if (pid === undefined) {
        reject(new Error('worker process has no pid'));
        return;
      }
      // From here on the worker's own output (warnings, errors) goes to the demo's terminal.
      child.stdout.removeAllListeners('data');
      child.stdout.pipe(process.stdout);
      resolve({
        pid,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const limit = new Promise<void>((r) => {
            timer = setTimeout(r, config.worker.shutdownTimeoutMs);
          });
          await Promise.race([exited, limit]);
          clearTimeout(timer);
        },
      });
    });
  });
}
