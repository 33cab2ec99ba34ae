import { Readable } from 'node:stream';
import { readInteractions } from '../../src/engine/local/dataset-reader';
import { buildDataset } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS } from '../../src/engine/local/engine-params';
import { splitInteractions } from '../../src/engine/local/evaluation';

const DAY = 86_400;
const csv = (text: string) => Readable.from([text]);

describe('model half-life (personal models decay apart from popularity)', () => {
  // x bought 14 days before the newest event, y at the newest event; one customer each time.
  const text = `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\na,x,${100 * DAY},purchase,1\na,y,${114 * DAY},purchase,1\n`;

  it('decays the model inputs with modelHalfLifeDays and popularity with halfLifeDays', async () => {
    const raw = await readInteractions(csv(text));
    const d = buildDataset(raw, { ...DEFAULT_PARAMS, halfLifeDays: 0, modelHalfLifeDays: 7, modelDecayFloor: 0 });
    // Two half-lives: 1/4 of the strength; popularity does not decay at all.
    expect(d.userValues[0]).toBeCloseTo(Math.log1p(0.25), 6);
    expect(d.userValues[1]).toBeCloseTo(Math.log1p(1), 6);
    expect(d.itemPopularity[0]).toBeCloseTo(Math.log1p(1), 6);
    expect(d.itemPopularity[1]).toBeCloseTo(Math.log1p(1), 6);
  });

  it('-1 uses halfLifeDays for both; the floor keeps old purchases from vanishing', async () => {
    const raw = await readInteractions(csv(text));
    const same = buildDataset(raw, { ...DEFAULT_PARAMS, halfLifeDays: 14, modelHalfLifeDays: -1 });
    expect(same.userValues[0]).toBeCloseTo(Math.log1p(0.5), 6);
    expect(same.itemPopularity[0]).toBeCloseTo(Math.log1p(0.5), 6);
    const floored = buildDataset(raw, {
      ...DEFAULT_PARAMS,
      halfLifeDays: 0,
      modelHalfLifeDays: 7,
      modelDecayFloor: 0.2,
    });
    expect(floored.userValues[0]).toBeCloseTo(Math.log1p(0.2 + 0.8 * 0.25), 6);
  });

  it('keeps a very old purchase positive (no underflow to "returned")', async () => {
    const old = `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\na,x,0,purchase,1\na,y,${3650 * DAY},purchase,1\n`;
    const d = buildDataset(await readInteractions(csv(old)), { ...DEFAULT_PARAMS, modelHalfLifeDays: 3 });
    expect(d.userValues[0]).toBeGreaterThan(0);
  });
});

describe('validation window (splitInteractions with until)', () => {
  it('ignores events at or after `until`: neither trained on nor held out', async () => {
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
    for (let day = 0; day < 90; day++) lines.push(`u${day % 5},i${day % 7},${day * DAY},purchase,1`);
    const raw = await readInteractions(csv(lines.join('\n') + '\n'));
    const s = splitInteractions(raw, 'time', 1, 30 * DAY, 60 * DAY);
    for (let k = 0; k < raw.length; k++) {
      const ts = raw.timestamp[k]!;
      expect(s.train[k]).toBe(ts < 30 * DAY ? 1 : 0);
    }
    const held = [...s.heldOut.values()].flat().map((k) => raw.timestamp[k]!);
    expect(held).toHaveLength(30);
    for (const ts of held) expect(ts >= 30 * DAY && ts < 60 * DAY).toBe(true);
  });
});
