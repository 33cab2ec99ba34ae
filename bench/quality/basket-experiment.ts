// Experiment (not in the engine): does co-purchase within the same basket say more than
// co-purchase across a customer's baskets? Baskets = (customer, UTC day). RP3beta over baskets is
// blended into the default (customer-level) item model with a share; NDCG@10 on the quality
// bench's validation and test windows. Run: node bin/run-ts.js bench/quality/basket-experiment.ts '[0,0.5]'
import type { RawInteractions } from '../../src/engine/local/dataset-reader';
import { splitInteractions } from '../../src/engine/local/evaluation';
import { buildDataset } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS, type EngineParams } from '../../src/engine/local/engine-params';
import { trainModel, popularityLists } from '../../src/engine/local/local-model';
import { rp3betaRows, blendRows } from '../../src/engine/local/graph-model';
import { transpose } from '../../src/engine/local/item-model';
import { Recommender } from '../../src/engine/local/recommender';
import { computeMetrics } from '../../src/engine/local/metrics';
import { requireDataset } from '../../test/support/datasets';
import { present } from '../support/present';
import { exportedOnlineRetail } from './online-retail-export';

function basketRaw(raw: RawInteractions): RawInteractions {
  const ids = new Map<string, number>();
  const user = new Int32Array(raw.length);
  for (let k = 0; k < raw.length; k++) {
    const key = `${present(raw.userIds[present(raw.user[k], 'user')], 'user id')}|${Math.floor(present(raw.timestamp[k], 'timestamp') / 86400)}`;
    let b = ids.get(key);
    if (b === undefined) {
      b = ids.size;
      ids.set(key, b);
    }
    user[k] = b;
  }
  return { ...raw, userIds: [...ids.keys()], user };
}

async function main(): Promise<void> {
  const { raw } = await exportedOnlineRetail(requireDataset('online-retail'));
  const braw = basketRaw(raw);
  let maxTs = 0;
  for (const t of raw.timestamp.subarray(0, raw.length)) maxTs = Math.max(maxTs, t);
  const test = maxTs - 30 * 86400;
  const windows = [
    ['val', test - 30 * 86400, test],
    ['test', test, undefined],
  ] as const;
  const shares = JSON.parse(process.argv[2] ?? '[0,0.25,0.5,1]') as number[];
  for (const [name, cutoff, until] of windows) {
    const params: EngineParams = { ...DEFAULT_PARAMS };
    const split = splitInteractions(raw, 'time', params.seed, cutoff, until);
    const data = buildDataset(raw, params, null, null, { rows: split.train });
    const bdata = buildDataset(braw, params, null, null, { rows: split.train, referenceTime: data.referenceTime });
    const model = trainModel(data, params);
    const userRows = model.rec;
    const basketRows = rp3betaRows(bdata, transpose(bdata), params.neighbors, params.rp3Alpha, params.rp3Beta);
    const userIndex = new Map(data.userIds.map((id, i) => [id, i]));
    const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
    const cases: { u: number; truth: Set<number> }[] = [];
    for (const [ru, rows] of [...split.heldOut.entries()].sort((a, b) => a[0] - b[0])) {
      const u = userIndex.get(present(raw.userIds[ru], 'held-out user'));
      if (u === undefined || data.userPtr[u + 1] === data.userPtr[u]) continue;
      const hist = new Set<number>();
      const end = present(data.userPtr[u + 1], 'user pointer');
      for (let p = present(data.userPtr[u], 'user pointer'); p < end; p++)
        if (data.userBought[p]) hist.add(present(data.userItems[p], 'user item'));
      const truth = new Set<number>();
      for (const k of rows) {
        // Products unknown to training count as misses, as in evaluateRaw.
        const item = present(raw.item[k], 'item');
        const i = itemIndex.get(present(raw.itemIds[item], 'item id')) ?? -1 - item;
        if (!hist.has(i)) truth.add(i);
      }
      if (truth.size) cases.push({ u, truth });
    }
    for (const share of shares) {
      model.rec = share === 0 ? userRows : blendRows(userRows, basketRows, share, params.neighbors);
      const r = new Recommender(model, popularityLists(model, 100), 25);
      const m = computeMetrics(
        cases.map(({ u, truth }) => ({ recommended: r.forUser(u).items, truth })),
        10,
        data.itemIds.length,
      );
      console.log(
        name,
        'basket share',
        share,
        present(m.normalized_discounted_cumulative_gain_at_10, 'NDCG@10').toFixed(4),
        m.users_evaluated,
      );
    }
  }
}
main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
