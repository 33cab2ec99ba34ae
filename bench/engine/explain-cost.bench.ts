// What the reasons cost batch inference: user-personalization lines for every customer of the
// synthetic store, with reasons (what batch inference writes) and without (the same code path with
// explain off: the baseline), alternated in one process so that the machine's load hits both.
// Goal (issue 16): at most 1.3x.   node bin/run-ts.js bench/engine/explain-cost.bench.ts [--scale 1]
import { parseArgs } from 'node:util';
import { writeCustomerLine } from '../../src/engine/local/batch-output';
import { buildDataset } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS, outputSize } from '../../src/engine/local/engine-params';
import { LineBuffer } from '../../src/engine/local/line-buffer';
import { popularityLists, trainModel } from '../../src/engine/local/local-model';
import { Recommender } from '../../src/engine/local/recommender';
import { synthetic } from '../quality/bench-datasets';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, rounds: { type: 'string', default: '3' } },
});

async function main(): Promise<void> {
  const ds = await synthetic(Number(values.scale));
  const data = buildDataset(ds.raw, DEFAULT_PARAMS);
  const model = trainModel(data, DEFAULT_PARAMS);
  const size = outputSize(DEFAULT_PARAMS);
  const r = new Recommender(model, popularityLists(model, size * 2), size);
  const out = new LineBuffer();
  const pass = (explain: boolean): { ms: number; bytes: number } => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    for (let u = 0; u < data.userIds.length; u++) {
      writeCustomerLine(r, 'user-personalization', u, out, undefined, explain);
      if (out.full()) bytes += out.take().length;
    }
    bytes += out.take().length;
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes };
  };
  pass(true); // warm-up
  const with_: number[] = [];
  const without: number[] = [];
  let sizes = { with: 0, without: 0 };
  for (let n = 0; n < Number(values.rounds); n++) {
    const a = pass(false);
    const b = pass(true);
    without.push(a.ms);
    with_.push(b.ms);
    sizes = { with: b.bytes, without: a.bytes };
  }
  const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)] ?? NaN;
  console.log(
    `${data.userIds.length} customers, ${data.itemIds.length} products, ${Number(values.rounds)} rounds alternated`,
  );
  console.log(
    `without reasons: median ${median(without).toFixed(0)} ms (${without.map((m) => m.toFixed(0)).join(', ')}), ${sizes.without} bytes`,
  );
  console.log(
    `with reasons:    median ${median(with_).toFixed(0)} ms (${with_.map((m) => m.toFixed(0)).join(', ')}), ${sizes.with} bytes`,
  );
  console.log(
    `ratio ${(median(with_) / median(without)).toFixed(2)}x (goal <= 1.3x); output size ratio ${(sizes.with / sizes.without).toFixed(2)}x`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
