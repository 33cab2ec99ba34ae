// A redis-server of the test's own on a free port, so a test can stop and restart "Redis" for
// real without touching the machine's shared server. It keeps nothing on disk, like the
// machine's Redis: a restart loses every job, which is the failure under test.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface OwnRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: no shutdown save, no goodbye to clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (a no-op while it runs). */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, a hung Redis. */
  pause(): void;
  /** Lets a paused server run on (SIGCONT). */
  resume(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

async function pingUntilUp(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`own redis-server not up after ${timeoutMs} ms`, { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const running = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  const start = async () => {
    if (running()) return;
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await pingUntilUp(url);
  };
  const stop = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  const signal = (sig: NodeJS.Signals) => {
    if (running()) proc?.kill(sig);
  };
  await start();
  return {
    port,
    url,
    start,
    stop,
    pause: () => {
      signal('SIGSTOP');
    },
    resume: () => {
      signal('SIGCONT');
    },
  };
}
