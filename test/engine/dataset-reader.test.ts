import { Readable } from 'node:stream';
import { readAttributes, readInteractions } from '../../src/engine/local/dataset-reader';
import { buildDataset, checkMinimums, eventStrength } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS } from '../../src/engine/local/engine-params';
import { InsufficientDataError } from '../../src/engine/local/insufficient-data-error';
import { LocalEngine } from '../../src/engine/local/local-engine';
import { loadConfig } from '../../src/config/config';
import { fixtureStore, interactionsCsv } from './fixtures';

const csv = (text: string) => Readable.from([text]);

describe('readInteractions', () => {
  it('skips malformed rows and reports each with its line number', async () => {
    const raw = await readInteractions(
      csv(
        [
          'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
          'u1,i1,1700000000,purchase,1',
          'u1,i2,1700000001,purchase',
          'u2,i1,yesterday,purchase,1',
          ',i1,1700000002,purchase,1',
          'u3,,1700000002,purchase,1',
          'u3,i3,1700000003,purchase,lots',
          'u4,"i4,x",1700000004,view,',
          '',
          'u5,"i5,1700000005,view,1',
        ].join('\r\n'),
      ),
    );
    expect(raw.length).toBe(2);
    expect(raw.itemIds).toEqual(['i1', 'i4,x']);
    expect(raw.value[1]).toBe(1); // an empty EVENT_VALUE counts as 1
    expect(raw.rejected).toEqual([
      { file: 'interactions.csv', lineNumber: 3, reason: 'expected 5 columns, found 4' },
      { file: 'interactions.csv', lineNumber: 4, reason: 'TIMESTAMP "yesterday" is not a number' },
      { file: 'interactions.csv', lineNumber: 5, reason: 'empty USER_ID' },
      { file: 'interactions.csv', lineNumber: 6, reason: 'empty ITEM_ID' },
      { file: 'interactions.csv', lineNumber: 7, reason: 'EVENT_VALUE "lots" is not a number' },
      { file: 'interactions.csv', lineNumber: 10, reason: 'unterminated quoted field' },
    ]);
    expect(raw.rejectedCount).toBe(6);
  });

  it('accepts the three required columns alone, in any order', async () => {
    const raw = await readInteractions(csv('TIMESTAMP,ITEM_ID,USER_ID\n5,i,u\n'));
    expect({ u: raw.userIds, i: raw.itemIds, t: raw.timestamp[0], e: raw.eventTypes }).toEqual({
      u: ['u'],
      i: ['i'],
      t: 5,
      e: ['purchase'],
    });
  });

  it('refuses a file without the required header', async () => {
    await expect(readInteractions(csv('a,b,c\n1,2,3\n'))).rejects.toThrow(/header lacks USER_ID, ITEM_ID, TIMESTAMP/);
    await expect(readInteractions(csv(''))).rejects.toThrow(/empty/);
  });
});

describe('readAttributes', () => {
  it('reads categories, keeping products without one and reporting bad rows', async () => {
    const a = await readAttributes(
      csv('ITEM_ID,ITEM_NAME,CATEGORY\np1,"A, b",Toys\np2,B,\np3,C\n'),
      'items.csv',
      'ITEM_ID',
      'CATEGORY',
    );
    expect(a.ids).toEqual(['p1', 'p2']);
    expect([...a.byId]).toEqual([['p1', 'Toys']]);
    expect(a.rejected).toEqual([{ file: 'items.csv', lineNumber: 4, reason: 'expected 3 columns, found 2' }]);
  });
});

describe('minimum data size', () => {
  it('fails below 1,000 interactions, as Personalize does', async () => {
    const raw = await readInteractions(csv(interactionsCsv().split('\n').slice(0, 900).join('\n')));
    expect(() => {
      checkMinimums(raw);
    }).toThrow(InsufficientDataError);
    expect(() => {
      checkMinimums(raw);
    }).toThrow(/899 interactions \(minimum 1000\)/);
  });

  it('fails with fewer than 25 users having 2 or more interactions', async () => {
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP'];
    for (let n = 0; n < 1000; n++) lines.push(`u${n},i${n % 7},${n}`);
    for (let n = 0; n < 24; n++) lines.push(`u${n},i9,${n}`);
    const raw = await readInteractions(csv(lines.join('\n')));
    expect(() => {
      checkMinimums(raw);
    }).toThrow(/24 users with 2 or more interactions \(minimum 25\)/);
  });

  it('makes train() fail with a clear error', async () => {
    const f = await fixtureStore({ interactions: interactionsCsv().split('\n').slice(0, 500).join('\n') });
    try {
      await expect(new LocalEngine(loadConfig({}).engine).train(f.ctx)).rejects.toThrow(InsufficientDataError);
    } finally {
      f.cleanup();
    }
  });
});

describe('buildDataset', () => {
  it('weights event types, respects EVENT_VALUE and decays with the half-life', () => {
    expect(eventStrength(1, 1, 0, 30)).toBe(1);
    expect(eventStrength(1, 3, 0, 30)).toBe(2);
    expect(eventStrength(0.5, 1, 30 * 86_400, 30)).toBeCloseTo(0.25);
    expect(eventStrength(1, 3, 0, 30, 'ignore')).toBe(1);
  });

  it('sorts ids, merges events per customer and product, and marks purchases', async () => {
    const raw = await readInteractions(
      csv(
        'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nb,y,100,view,1\na,y,100,purchase,1\nb,x,100,purchase,1\nb,y,100,view,1\nb,z,100,return,1\n',
      ),
    );
    const d = buildDataset(raw, DEFAULT_PARAMS);
    expect(d.userIds).toEqual(['a', 'b']);
    expect(d.itemIds).toEqual(['x', 'y', 'z']);
    expect(Array.from(d.userPtr)).toEqual([0, 1, 4]);
    expect(Array.from(d.userItems)).toEqual([1, 0, 1, 2]);
    expect(Array.from(d.userBought)).toEqual([1, 1, 0, 0]);
    expect(d.userValues[2]).toBeCloseTo(Math.log1p(0.2)); // two views of 0.1
    expect(d.userValues[3]).toBe(0); // a return weighs 0
  });
});
