// The demo runs its worker as a separate process, as production does.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../config/config';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');

export interface WorkerChild {
  pid: number;
  stop(): Promise<void>;
}

export function spawnWorkerProcess(config: Config, timeoutMs = 30_000): Promise<WorkerChild> {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with code ${code} before it was ready`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (!buffered.includes('workers ready')) return;
      clearTimeout(timer);
      child.stdout!.resume();
      resolve({
        pid: child.pid!,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, config.worker.shutdownTimeoutMs))]);
        },
      });
    });
  });
}
