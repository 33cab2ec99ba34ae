// The data sets of the quality benchmark and the protocol each is scored under. Online Retail goes
// through the product's own import and export (online-retail-export.ts); Retailrocket's events
// file is read as it is (a view, addtocart or transaction per line, every type under its own
// name); the synthetic store is generated in memory. Files are read from ../shared/datasets or
// the env vars of test/support/datasets.ts, never copied in.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { RawInteractions } from '../../src/engine/local/dataset-reader';
import type { TruthRule } from '../../src/engine/local/tuning/holdout-cases';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { requireDataset } from '../../test/support/datasets';
import { exportedOnlineRetail } from './online-retail-export';

export const DAY = 86_400;

export interface TruthSet {
  name: string;
  targetTypes: string[];
  rule: TruthRule;
}

export interface BenchDataset {
  name: string;
  raw: RawInteractions;
  description: string;
  /** Test window: train before testCutoff, truth from it to the end. */
  testCutoff: number;
  /** The references' validation window: train before it, truth up to testCutoff. */
  validationCutoff: number;
  /** The engine's target events (what it is tuned to predict); the first truth set's. */
  targetTypes: string[];
  truthSets: TruthSet[];
  /** Products the EASE reference models densely. */
  easeItems: number;
}

/** Builds RawInteractions from rows, interning ids in order of first appearance. */
export class RawBuilder {
  private readonly users = new Map<string, number>();
  private readonly items = new Map<string, number>();
  private readonly types = new Map<string, number>();
  readonly raw: RawInteractions = {
    userIds: [],
    itemIds: [],
    eventTypes: [],
    user: new Int32Array(1 << 16),
    item: new Int32Array(1 << 16),
    timestamp: new Float64Array(1 << 16),
    eventType: new Uint16Array(1 << 16),
    value: new Float32Array(1 << 16),
    length: 0,
    rejected: [],
    rejectedCount: 0,
  };

  private static intern(map: Map<string, number>, list: string[], id: string): number {
    let n = map.get(id);
    if (n === undefined) {
      n = list.length;
      map.set(id, n);
      list.push(id);
    }
    return n;
  }

  add(user: string, item: string, ts: number, type: string, value = 1): void {
    const r = this.raw;
    if (r.length === r.user.length) {
      const grow = <T extends Int32Array | Float64Array | Uint16Array | Float32Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2);
        next.set(a);
        return next;
      };
      r.user = grow(r.user);
      r.item = grow(r.item);
      r.timestamp = grow(r.timestamp);
      r.eventType = grow(r.eventType);
      r.value = grow(r.value);
    }
    const n = r.length++;
    r.user[n] = RawBuilder.intern(this.users, r.userIds, user);
    r.item[n] = RawBuilder.intern(this.items, r.itemIds, item);
    r.eventType[n] = RawBuilder.intern(this.types, r.eventTypes, type);
    r.timestamp[n] = ts;
    r.value[n] = value;
  }
}

export function maxTimestamp(raw: RawInteractions): number {
  let m = -Infinity;
  for (let k = 0; k < raw.length; k++) m = Math.max(m, raw.timestamp[k]!);
  return m;
}

const PURCHASES: TruthSet = { name: 'new purchases', targetTypes: ['purchase'], rule: 'new-target' };

export async function onlineRetail(): Promise<BenchDataset> {
  const { raw, exported } = await exportedOnlineRetail(requireDataset('online-retail'));
  const testCutoff = maxTimestamp(raw) - 30 * DAY;
  return {
    name: 'online-retail',
    raw,
    description: `Online Retail as the product imports and exports it: ${exported.interactions} lines, ${raw.userIds.length} customers, ${raw.itemIds.length} products; test = new purchases in the last 30 days of customers seen before`,
    testCutoff,
    validationCutoff: testCutoff - 30 * DAY,
    targetTypes: ['purchase'],
    truthSets: [PURCHASES],
    easeItems: 1500,
  };
}

/** Retailrocket: the last 14 of its 138 days are the test window, the 14 before the validation one. */
export async function retailrocket(): Promise<BenchDataset> {
  const b = new RawBuilder();
  const lines = createInterface({
    input: createReadStream(requireDataset('retailrocket')).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [ts, visitor, event, item] = line.split(',');
    if (!ts || !visitor || !event || !item) continue;
    b.add(visitor, item, Math.floor(Number(ts) / 1000), event);
  }
  const raw = b.raw;
  const testCutoff = maxTimestamp(raw) - 14 * DAY;
  return {
    name: 'retailrocket',
    raw,
    description: `Retailrocket events: ${raw.length} (${raw.eventTypes.join(', ')}), ${raw.userIds.length} visitors, ${raw.itemIds.length} items; test = the last 14 days, truth = items a visitor seen before carted or bought and had not touched`,
    testCutoff,
    validationCutoff: testCutoff - 14 * DAY,
    targetTypes: ['addtocart', 'transaction'],
    truthSets: [
      { name: 'new carts + purchases', targetTypes: ['addtocart', 'transaction'], rule: 'untouched' },
      { name: 'any new interaction', targetTypes: ['view', 'addtocart', 'transaction'], rule: 'untouched' },
    ],
    easeItems: 2000,
  };
}

/** The synthetic store (seed 42, fixed end) at a tenth of the reference size: one year of purchases. */
export function synthetic(scale = 0.1): Promise<BenchDataset> {
  const store = generateSyntheticStore({
    customers: Math.round(180_484 * scale),
    products: Math.max(200, Math.round(4_182 * scale * 4)),
    interactions: Math.round(1_971_527 * scale),
    seed: 42,
    end: new Date('2026-11-01T00:00:00Z'),
  });
  const b = new RawBuilder();
  const { lines, customers, products } = store;
  for (let n = 0; n < lines.count; n++)
    b.add(customers[lines.customer[n]!]!.id, products[lines.product[n]!]!.id, lines.occurredAt[n]!, 'purchase');
  const raw = b.raw;
  const testCutoff = maxTimestamp(raw) - 30 * DAY;
  return Promise.resolve({
    name: 'synthetic',
    raw,
    description: `synthetic store (seed 42, scale ${scale}): ${raw.length} purchases, ${raw.userIds.length} customers, ${raw.itemIds.length} products; test = new purchases in the last 30 days`,
    testCutoff,
    validationCutoff: testCutoff - 30 * DAY,
    targetTypes: ['purchase'],
    truthSets: [PURCHASES],
    easeItems: 1500,
  });
}
