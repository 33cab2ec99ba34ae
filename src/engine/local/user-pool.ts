// Spreads the per-customer passes of batch inference over worker threads: customers go out in
// blocks, and results come back to be written in block order, so the output is byte-identical to
// a single-threaded run. Workers load through tsx when running from TypeScript sources.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalModel } from './local-model';
import { TopK } from './top-k';

import type { CustomerTask } from './batch-output';

export interface PoolInit {
  model: LocalModel;
  size: number;
}

export type PoolRequest =
  | { kind: 'norm'; norm: Float64Array }
  | { kind: 'lines'; task: CustomerTask; block: number; from: number; to: number }
  | { kind: 'segments'; block: number; from: number; to: number };

export type PoolResponse =
  | { kind: 'ok'; block: number }
  | { kind: 'lines'; block: number; bytes: Uint8Array }
  | { kind: 'segments'; block: number; users: Int32Array; scores: Float64Array }
  | { kind: 'error'; block: number; message: string };

const BLOCK = 2000;

/** Worker threads pay off only when there are enough customers to amortise copying the model. */
export function poolSize(customers: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, requested);
  return customers >= 20_000 ? Math.min(4, availableParallelism()) : 0;
}

export class UserPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly customers: number,
    private readonly size: number,
    private readonly nItems: number,
  ) {}

  static create(model: LocalModel, size: number, threads: number): UserPool {
    const ext = path.extname(__filename);
    const file = path.join(__dirname, `user-pass.worker${ext}`);
    const init: PoolInit = { model, size };
    const workers = Array.from(
      { length: threads },
      () => new Worker(file, { workerData: init, execArgv: ext === '.ts' ? ['--require', 'tsx/cjs'] : [] }),
    );
    return new UserPool(workers, model.data.userIds.length, size, model.data.itemIds.length);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private blocks(): { block: number; from: number; to: number }[] {
    const out = [];
    for (let from = 0, block = 0; from < this.customers; from += BLOCK, block++) {
      out.push({ block, from, to: Math.min(this.customers, from + BLOCK) });
    }
    return out;
  }

  /**
   * Runs one request per block on the workers (each worker one block at a time) and hands the
   * responses to `onResult` in block order.
   */
  private async run(
    make: (b: { block: number; from: number; to: number }) => PoolRequest,
    onResult: (res: PoolResponse) => Promise<void> | void,
  ): Promise<void> {
    const queue = this.blocks();
    const total = queue.length;
    const done = new Map<number, PoolResponse>();
    let next = 0;
    // An object, not a `let`: the workers' callbacks set it, which control-flow analysis cannot see.
    const failed: { error: Error | null } = { error: null };
    let wake: (() => void) | null = null;
    const feed = (w: Worker): void => {
      const b = queue.shift();
      if (b) w.postMessage(make(b));
    };
    const listeners = this.workers.map((w) => {
      const onMessage = (res: PoolResponse) => {
        if (res.kind === 'error')
          failed.error = new Error(`batch inference worker failed on block ${res.block}: ${res.message}`);
        else done.set(res.block, res);
        feed(w);
        wake?.();
      };
      const onError = (err: Error) => {
        failed.error = err;
        wake?.();
      };
      w.on('message', onMessage);
      w.on('error', onError);
      return { w, onMessage, onError };
    });
    try {
      for (const w of this.workers) feed(w);
      while (next < total) {
        if (failed.error) throw failed.error;
        const res = done.get(next);
        if (!res) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        done.delete(next);
        next += 1;
        await onResult(res);
      }
    } finally {
      for (const l of listeners) {
        l.w.off('message', l.onMessage);
        l.w.off('error', l.onError);
      }
    }
  }

  async *lines(task: CustomerTask, onProgress?: (f: number) => void | Promise<void>): AsyncGenerator<Buffer> {
    const texts: Buffer[] = [];
    let resolveText: (() => void) | null = null;
    // An object, not two `let`s: the promise callbacks set it, which control-flow analysis cannot see.
    const outcome: { finished: boolean; error: Error | null } = { finished: false, error: null };
    let count = 0;
    const total = Math.ceil(this.customers / BLOCK);
    const running = this.run(
      (b) => ({ kind: 'lines', task, ...b }),
      async (res) => {
        if (res.kind === 'lines') texts.push(Buffer.from(res.bytes.buffer, res.bytes.byteOffset, res.bytes.byteLength));
        count += 1;
        if (onProgress && count % 10 === 0) await onProgress(count / total);
        resolveText?.();
      },
    ).then(
      () => {
        outcome.finished = true;
      },
      (err: unknown) => {
        outcome.error = err instanceof Error ? err : new Error(String(err));
      },
    );
    for (;;) {
      if (texts.length) {
        yield texts.shift()!;
        continue;
      }
      if (outcome.error) throw outcome.error;
      if (outcome.finished) break;
      await new Promise<void>((resolve) => {
        resolveText = resolve;
        void running.then(() => {
          resolve();
        });
      });
      resolveText = null;
    }
  }

  async setNorm(norm: Float64Array): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => {
              resolve();
            });
            w.once('error', reject);
            w.postMessage({ kind: 'norm', norm } satisfies PoolRequest);
          }),
      ),
    );
  }

  /**
   * Per-product heaps of the best customers, merged across workers (ties: lower customer). Each
   * worker takes one contiguous share of the customers and answers once, so the merge is small.
   */
  async segmentHeaps(onProgress?: (f: number) => void | Promise<void>): Promise<TopK[]> {
    const heaps = Array.from({ length: this.nItems }, () => new TopK(this.size));
    const k = this.size;
    const share = Math.ceil(this.customers / this.workers.length);
    const answers = await Promise.all(
      this.workers.map(
        (w, n) =>
          new Promise<PoolResponse>((resolve, reject) => {
            const onError = (err: Error) => {
              reject(err);
            };
            w.once('message', (res: PoolResponse) => {
              w.off('error', onError);
              resolve(res);
            });
            w.once('error', onError);
            const from = Math.min(this.customers, n * share);
            w.postMessage({
              kind: 'segments',
              block: n,
              from,
              to: Math.min(this.customers, from + share),
            } satisfies PoolRequest);
          }),
      ),
    );
    for (const res of answers) {
      if (res.kind === 'error') throw new Error(`batch inference worker failed on segments: ${res.message}`);
      if (res.kind !== 'segments') throw new Error(`unexpected worker answer ${res.kind}`);
      for (let j = 0; j < this.nItems; j++) {
        for (let a = j * k; a < (j + 1) * k && res.users[a]! >= 0; a++) heaps[j]!.push(res.users[a]!, res.scores[a]!);
      }
    }
    if (onProgress) await onProgress(1);
    return heaps;
  }
}
