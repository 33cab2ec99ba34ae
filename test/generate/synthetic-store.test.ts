import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  INTERACTIONS_HEADER,
  ITEMS_HEADER,
  USERS_HEADER,
  writePersonalizeCsvFiles,
} from '../../src/generate/personalize-csv-writer';
import { Prng } from '../../src/generate/prng';
import { generateSyntheticStore, type SyntheticStore } from '../../src/generate/synthetic-store';

const END = new Date('2026-11-25T00:00:00Z');
const opts = { customers: 2_000, products: 300, interactions: 25_000, seed: 7, end: END };

function fingerprint(s: SyntheticStore): string {
  return JSON.stringify([
    s.customers,
    s.products,
    Array.from(s.lines.product),
    Array.from(s.lines.occurredAt),
    Array.from(s.orders.customer),
  ]);
}

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });
});

describe('generateSyntheticStore', () => {
  const store = generateSyntheticStore(opts);

  it('is deterministic per seed', () => {
    expect(fingerprint(generateSyntheticStore(opts))).toBe(fingerprint(store));
    expect(fingerprint(generateSyntheticStore({ ...opts, seed: 8 }))).not.toBe(fingerprint(store));
  });

  it('has exactly the requested sizes, ids unique, every line inside an order of its customer', () => {
    expect(store.customers).toHaveLength(2_000);
    expect(store.products).toHaveLength(300);
    expect(store.lines.count).toBe(25_000);
    expect(new Set(store.customers.map((c) => c.id)).size).toBe(2_000);
    expect(new Set(store.products.map((p) => p.id)).size).toBe(300);
    for (let i = 0; i < store.lines.count; i++) {
      const o = store.lines.order[i]!;
      expect(o).toBeLessThan(store.orders.count);
      if (store.orders.customer[o] !== store.lines.customer[i])
        throw new Error(`line ${i} is in another customer's order`);
    }
    // Even a tiny store is exact.
    const tiny = generateSyntheticStore({ customers: 5, products: 3, interactions: 2, seed: 1, end: END });
    expect([tiny.customers.length, tiny.products.length, tiny.lines.count]).toEqual([5, 3, 2]);
  });

  it('has a skewed, power-law-like popularity', () => {
    const counts = new Array<number>(store.products.length).fill(0);
    for (let i = 0; i < store.lines.count; i++) counts[store.lines.product[i]!]!++;
    counts.sort((a, b) => b - a);
    const top10 = counts.slice(0, 30).reduce((a, b) => a + b, 0);
    expect(top10 / store.lines.count).toBeGreaterThan(0.25); // top 10% of products: 2.5 times their uniform share
    expect(counts[0]!).toBeGreaterThan(5 * counts[150]!); // the head far above the median
  });

  it('has repeat buyers whose purchases follow their tastes', () => {
    const perCustomer = new Map<number, number>();
    const catsOf = new Map<number, Map<string, number>>();
    for (let i = 0; i < store.lines.count; i++) {
      const c = store.lines.customer[i]!;
      perCustomer.set(c, (perCustomer.get(c) ?? 0) + 1);
      const cat = store.products[store.lines.product[i]!]!.category;
      const m = catsOf.get(c) ?? new Map<string, number>();
      m.set(cat, (m.get(cat) ?? 0) + 1);
      catsOf.set(c, m);
    }
    const repeat = [...perCustomer.values()].filter((n) => n >= 2).length;
    expect(repeat / store.customers.length).toBeGreaterThan(0.8);
    // The top 3 categories of a customer with 10+ lines hold most of their purchases.
    const shares: number[] = [];
    for (const [c, m] of catsOf) {
      const total = perCustomer.get(c)!;
      if (total < 10) continue;
      const top3 = [...m.values()]
        .sort((a, b) => b - a)
        .slice(0, 3)
        .reduce((a, b) => a + b, 0);
      shares.push(top3 / total);
    }
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.7);
  });

  it('keeps timestamps inside the year before end, and categories between 20 and 40', () => {
    const endSec = END.getTime() / 1000;
    let min = Infinity;
    let max = -Infinity;
    for (const t of store.lines.occurredAt) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    expect(min).toBeGreaterThanOrEqual(endSec - 365 * 86_400);
    expect(max).toBeLessThanOrEqual(endSec);
    expect(store.categories.length).toBeGreaterThanOrEqual(20);
    expect(store.categories.length).toBeLessThanOrEqual(40);
    expect(new Set(store.products.map((p) => p.category)).size).toBe(store.categories.length);
  });
});

describe('writePersonalizeCsvFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'synthetic-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the three files with the exact REFERENCE.md headers and one row per entity or line', async () => {
    const store = generateSyntheticStore({ ...opts, interactions: 3_000 });
    const files = await writePersonalizeCsvFiles(store, dir);
    const interactions = (await readFile(files.interactions, 'utf8')).trimEnd().split('\n');
    const items = (await readFile(files.items, 'utf8')).trimEnd().split('\n');
    const users = (await readFile(files.users, 'utf8')).trimEnd().split('\n');
    expect(interactions[0]).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE');
    expect(items[0]).toBe('ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT');
    expect(users[0]).toBe('USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND');
    expect([INTERACTIONS_HEADER, ITEMS_HEADER, USERS_HEADER]).toEqual([interactions[0], items[0], users[0]]);
    expect(interactions).toHaveLength(3_001);
    expect(items).toHaveLength(301);
    expect(users).toHaveLength(2_001);
    expect(interactions[1]).toMatch(/^customer_\d+,product_\d+,\d{10},purchase,1$/);
    expect(users[1]).toMatch(/^customer_\d+,[^,]+,[^,]+,\d+,\d+\.\d{2}$/);
    const purchaseCounts = items.slice(1).reduce((sum, l) => sum + Number(l.split(',').at(-1)), 0);
    expect(purchaseCounts).toBe(3_000);
  });
});
