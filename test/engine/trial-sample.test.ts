// The tuning trials' data (src/engine/local/tuning/trial-sample.ts): every validation case with
// its history, the customers that link products, one-event visitors left out, a bound on rows
// met by a seeded sample, nothing else copied.
import { Readable } from 'node:stream';
import { readInteractions, type RawInteractions } from '../../src/engine/local/dataset-reader';
import { splitInteractions } from '../../src/engine/local/evaluation';
import { trialSample } from '../../src/engine/local/tuning/trial-sample';

async function store(): Promise<RawInteractions> {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
  // 300 visitors with one view each (no co-occurrence), 200 with four events, 20 of them buying
  // something after the cutoff (1000): the cases.
  for (let n = 0; n < 300; n++) lines.push(`single${n},i${n % 50},${n},view,1`);
  for (let n = 0; n < 200; n++) {
    for (let e = 0; e < 4; e++) lines.push(`multi${n},i${(n + e * 7) % 50},${100 + n + e},view,1`);
    if (n < 20) lines.push(`multi${n},i${(n + 3) % 50},${1000 + n},purchase,1`);
  }
  lines.push('single0,i9,1500,view,1'); // held out, not a target: not a case
  return readInteractions(Readable.from([lines.join('\n') + '\n']));
}

describe('trialSample', () => {
  it('keeps the cases and the multi-event customers, drops one-event visitors', async () => {
    const raw = await store();
    const split = splitInteractions(raw, 'time', 42, 1000);
    const s = trialSample(raw, split, ['purchase'], 1_000_000, 42);
    expect(s.info).toMatchObject({ customers: 200, rows: 820, singleEventCustomers: 300, sampledShare: 1 });
    expect(s.split.heldOut.size).toBe(20);
    expect(s.raw.userIds.every((id) => id.startsWith('multi'))).toBe(true);
    for (const [u, rows] of s.split.heldOut) {
      expect(s.raw.userIds[u]).toMatch(/^multi1?\d$/);
      expect(rows.map((k) => s.raw.eventTypes[s.raw.eventType[k]!])).toEqual(['purchase']);
    }
  });

  it('meets its row bound by sampling the other customers, the same ones for a seed', async () => {
    const raw = await store();
    const split = splitInteractions(raw, 'time', 42, 1000);
    const a = trialSample(raw, split, ['purchase'], 400, 42);
    const b = trialSample(raw, split, ['purchase'], 400, 42);
    expect(a.raw.userIds).toEqual(b.raw.userIds);
    // Cases (20 customers, 80 training rows) always stay; the other 180 are sampled to ~320 rows.
    expect(a.split.heldOut.size).toBe(20);
    expect(a.info.sampledShare).toBeCloseTo(320 / 720, 6);
    const trainRows = a.split.train.reduce((s, v) => s + v, 0);
    expect(trainRows).toBeGreaterThan(200);
    expect(trainRows).toBeLessThan(500);
  });
});

describe('trialSample with a bound on cases', () => {
  it('draws at most about maxCases of them by the seed; the rest train like any customer', async () => {
    const raw = await store();
    const split = splitInteractions(raw, 'time', 42, 1000);
    const a = trialSample(raw, split, ['purchase'], 1_000_000, 42, 10);
    const b = trialSample(raw, split, ['purchase'], 1_000_000, 42, 10);
    expect(a.info.casesInSplit).toBe(20);
    expect(a.info.cases).toBe(a.split.heldOut.size);
    expect(a.info.cases).toBeGreaterThan(3);
    expect(a.info.cases).toBeLessThan(17);
    expect([...b.split.heldOut.keys()]).toEqual([...a.split.heldOut.keys()]);
    // The customers drawn out of the cases still train (four events each): nobody is lost.
    expect(a.info.customers).toBe(200);
    const held = [...a.split.heldOut.values()].flat().length;
    expect(a.info.rows).toBe(800 + held);
  });
});
