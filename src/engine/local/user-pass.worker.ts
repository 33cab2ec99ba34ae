// Worker thread of UserPool: holds a copy of the model and answers per-block requests with the
// block's JSON Lines text, or with per-product segment heaps of its users.
import { parentPort, workerData } from 'node:worker_threads';
import { segmentHeaps, writeCustomerLine } from './batch-output';
import { LineBuffer } from './line-buffer';
import { popularityLists } from './local-model';
import { Recommender } from './recommender';
import type { PoolRequest, PoolResponse, PoolInit } from './user-pool';

const init = workerData as PoolInit;
const model = init.model;
const r = new Recommender(model, popularityLists(model, init.size * 2), init.size);
let norm: Float64Array | undefined;
const out = new LineBuffer();

function reply(msg: PoolResponse, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

parentPort!.on('message', (req: PoolRequest) => {
  try {
    if (req.kind === 'norm') {
      norm = req.norm;
      reply({ kind: 'ok', block: -1 });
    } else if (req.kind === 'lines') {
      for (let u = req.from; u < req.to; u++) writeCustomerLine(r, req.task, u, out, norm);
      const bytes = out.take();
      reply({ kind: 'lines', block: req.block, bytes }, [bytes.buffer as ArrayBuffer]);
    } else {
      const heaps = segmentHeaps(r, req.from, req.to);
      const k = r.size;
      const users = new Int32Array(heaps.length * k).fill(-1);
      const scores = new Float64Array(heaps.length * k);
      const ou = new Int32Array(k);
      const os = new Float64Array(k);
      heaps.forEach((h, j) => {
        const c = h.drain(ou, os);
        users.set(ou.subarray(0, c), j * k);
        scores.set(os.subarray(0, c), j * k);
      });
      reply({ kind: 'segments', block: req.block, users, scores }, [users.buffer, scores.buffer]);
    }
  } catch (err) {
    reply({ kind: 'error', block: 'block' in req ? req.block : -1, message: (err as Error).stack ?? String(err) });
  }
});
