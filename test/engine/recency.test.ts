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

  it('decays the model inputs with modelHalfLife (a share of the 14-day span) and popularity with halfLife', async () => {
    const raw = await readInteractions(csv(text));
    const d = buildDataset(raw, {
      ...DEFAULT_PARAMS,
      halfLife: 0,
      modelHalfLife: 0.5,
      modelDecayFloor: 0,
      modelDensity: 0,
    });
    expect(d.timeScale).toMatchObject({ spanDays: 14, modelHalfLifeDays: 7, halfLifeDays: 0 });
    // Two half-lives: 1/4 of the strength; popularity does not decay at all.
    expect(d.userValues[0]).toBeCloseTo(Math.log1p(0.25), 6);
    expect(d.userValues[1]).toBeCloseTo(Math.log1p(1), 6);
    expect(d.itemPopularity[0]).toBeCloseTo(Math.log1p(1), 6);
    expect(d.itemPopularity[1]).toBeCloseTo(Math.log1p(1), 6);
  });

  it('-1 uses the popularity half-life (here fixed in days) for both; the floor keeps old purchases from vanishing', async () => {
    const raw = await readInteractions(csv(text));
    const same = buildDataset(raw, { ...DEFAULT_PARAMS, halfLifeDays: 14, modelHalfLife: -1 });
    expect(same.userValues[0]).toBeCloseTo(Math.log1p(0.5), 6);
    expect(same.itemPopularity[0]).toBeCloseTo(Math.log1p(0.5), 6);
    const floored = buildDataset(raw, {
      ...DEFAULT_PARAMS,
      halfLife: 0,
      modelHalfLife: 0.5,
      modelDecayFloor: 0.2,
      modelDensity: 0,
    });
    expect(floored.userValues[0]).toBeCloseTo(Math.log1p(0.2 + 0.8 * 0.25), 6);
  });

  it('keeps a very old purchase positive (no underflow to "returned")', async () => {
    const old = `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\na,x,0,purchase,1\na,y,${3650 * DAY},purchase,1\n`;
    const d = buildDataset(await readInteractions(csv(old)), {
      ...DEFAULT_PARAMS,
      modelHalfLife: 0.001,
      modelDensity: 0,
    });
    expect(d.userValues[0]).toBeGreaterThan(0);
  });
});

describe('defaults that do not collapse (no absolute time constant)', () => {
  // The same store on two time scales: 40 days of history, and the same events spread over 4 years.
  const events = (stretch: number) => {
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
    for (let day = 0; day < 40; day++) lines.push(`u${day % 3},i${day % 5},${day * DAY * stretch},purchase,1`);
    return lines.join('\n') + '\n';
  };

  it('gives the same matrix and popularity whatever the time scale of the data', async () => {
    const weeks = buildDataset(await readInteractions(csv(events(1))), DEFAULT_PARAMS);
    const years = buildDataset(await readInteractions(csv(events(36.5))), DEFAULT_PARAMS);
    expect(years.timeScale!.spanDays / weeks.timeScale!.spanDays).toBeCloseTo(36.5, 6);
    expect(years.timeScale!.modelHalfLifeDays / weeks.timeScale!.modelHalfLifeDays).toBeCloseTo(36.5, 6);
    for (let p = 0; p < weeks.userValues.length; p++) expect(years.userValues[p]).toBeCloseTo(weeks.userValues[p]!, 5);
    for (let i = 0; i < weeks.itemPopularity.length; i++)
      expect(years.itemPopularity[i]).toBeCloseTo(weeks.itemPopularity[i]!, 5);
    // The oldest purchase still counts for something on the 4-year data (a 7-day half-life would erase it).
    expect(Math.min(...years.userValues)).toBeGreaterThan(1e-6);
  });

  it('RECENCY_HALF_LIFE_DAYS, when set, fixes the popularity half-life in days', async () => {
    const d = buildDataset(await readInteractions(csv(events(1))), { ...DEFAULT_PARAMS, halfLifeDays: 90 });
    expect(d.timeScale!.halfLifeDays).toBe(90);
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
