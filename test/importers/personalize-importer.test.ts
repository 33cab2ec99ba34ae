import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CsvHeaderError } from '../../src/csv/csv-header-error';
import { importPersonalize } from '../../src/importers/personalize/personalize-importer';
import { createTestContext, type TestContext } from '../support/test-context';

// Columns in another order than REFERENCE.md, plus an extra column: both allowed.
const INTERACTIONS =
  [
    'ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP,EVENT_VALUE,SESSION',
    'product_456,customer_123,purchase,1701187200,1,s1', // 2
    'product_456,customer_123,purchase,1701187200,1,s2', // 3 identical values: a second event
    'product_789,customer_123,view,1701190800,,s1', // 4 no EVENT_VALUE
    'product_999,customer_new,cart,1701194400,0.5,s3', // 5 user and item in no other file
    'product_456,customer_123,purchase,1701187200000,1,s1', // 6 milliseconds
    'product_456,customer_123,purchase,yesterday,1,s1', // 7 not a number
    'product_456,,purchase,1701187200,1,s1', // 8 empty USER_ID
    'product_456,customer_123,purchase,1701187200,lots,s1', // 9 bad EVENT_VALUE
    'product_456,customer_123,purchase,1701187200', // 10 four columns
  ].join('\n') + '\n';

const ITEMS =
  [
    'ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT',
    'product_456,Widget Pro,Electronics,299.99,150',
    'product_789,"Cable, 2 m",Electronics,9.5,3',
    'product_000,Broken,Toys,free,1', // 4 bad price
  ].join('\n') + '\n';

const USERS =
  [
    'USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND',
    'customer_123,Lahore,Punjab,15,45000.00',
    'customer_456,Karachi,Sindh,1,10.00',
  ].join('\n') + '\n';

describe('importPersonalize', () => {
  let ctx: TestContext;
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'personalize-'));
    await writeFile(file('interactions.csv'), INTERACTIONS);
    await writeFile(file('items.csv'), ITEMS);
    await writeFile(file('users.csv'), USERS);
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const q = async <T extends object>(sql: string): Promise<T[]> => (await ctx.db.pool.query<T>(sql)).rows;
  const files = () => ({ interactions: file('interactions.csv'), items: file('items.csv'), users: file('users.csv') });

  it('loads users, items and interactions as given, and quarantines bad lines', async () => {
    const s = await importPersonalize(ctx.db, files());
    const byKind = Object.fromEntries(s.files.map((f) => [f.kind, f]));
    expect(byKind.users).toMatchObject({ rowsRead: 2, quarantined: 0, loaded: { total: 2, new: 2 } });
    expect(byKind.items).toMatchObject({ rowsRead: 3, quarantined: 1, loaded: { total: 2, new: 2 } });
    expect(byKind.interactions).toMatchObject({ rowsRead: 9, quarantined: 5, loaded: { total: 4, new: 4 } });
    expect(s).toMatchObject({ bareCustomers: 1, bareProducts: 1 });

    expect(await q('SELECT id, city, province FROM customers ORDER BY id')).toEqual([
      { id: 'customer_123', city: 'Lahore', province: 'Punjab' },
      { id: 'customer_456', city: 'Karachi', province: 'Sindh' },
      { id: 'customer_new', city: null, province: null },
    ]);
    expect(await q('SELECT id, name, category, price FROM products ORDER BY id')).toEqual([
      { id: 'product_456', name: 'Widget Pro', category: 'Electronics', price: 299.99 },
      { id: 'product_789', name: 'Cable, 2 m', category: 'Electronics', price: 9.5 },
      { id: 'product_999', name: null, category: null, price: null },
    ]);
    const events = await q<{
      event_id: string;
      user_id: string;
      product_id: string;
      event_type: string;
      event_value: number | null;
      occurred_at: Date;
      source: string;
    }>(
      'SELECT event_id, user_id, product_id, event_type, event_value, occurred_at, source FROM events ORDER BY occurred_at, event_id',
    );
    expect(events.map(({ event_id: _id, ...e }) => e)).toEqual([
      {
        user_id: 'customer_123',
        product_id: 'product_456',
        event_type: 'purchase',
        event_value: 1,
        occurred_at: new Date(1701187200_000),
        source: 'personalize',
      },
      {
        user_id: 'customer_123',
        product_id: 'product_456',
        event_type: 'purchase',
        event_value: 1,
        occurred_at: new Date(1701187200_000),
        source: 'personalize',
      },
      {
        user_id: 'customer_123',
        product_id: 'product_789',
        event_type: 'view',
        event_value: null,
        occurred_at: new Date(1701190800_000),
        source: 'personalize',
      },
      {
        user_id: 'customer_new',
        product_id: 'product_999',
        event_type: 'cart',
        event_value: 0.5,
        occurred_at: new Date(1701194400_000),
        source: 'personalize',
      },
    ]);
    // Identical lines differ only by their occurrence index.
    expect(events[0]?.event_id.replace(/:\d+$/, '')).toBe(events[1]?.event_id.replace(/:\d+$/, ''));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(4);

    const quarantine = await q<{ source: string; file: string; line_number: number; reason: string }>(
      'SELECT source, file, line_number, reason FROM quarantine ORDER BY source, line_number',
    );
    expect(quarantine).toEqual([
      {
        source: 'personalize-interactions',
        file: 'interactions.csv',
        line_number: 6,
        reason: 'TIMESTAMP 1701187200000 is out of range for Unix seconds',
      },
      {
        source: 'personalize-interactions',
        file: 'interactions.csv',
        line_number: 7,
        reason: 'TIMESTAMP "yesterday" is not whole Unix seconds',
      },
      { source: 'personalize-interactions', file: 'interactions.csv', line_number: 8, reason: 'empty USER_ID' },
      {
        source: 'personalize-interactions',
        file: 'interactions.csv',
        line_number: 9,
        reason: 'EVENT_VALUE "lots" is not a number',
      },
      {
        source: 'personalize-interactions',
        file: 'interactions.csv',
        line_number: 10,
        reason: 'expected 6 columns, got 4',
      },
      { source: 'personalize-items', file: 'items.csv', line_number: 4, reason: 'PRICE "free" is not a number' },
    ]);
  });

  it('is idempotent: a second import adds and changes nothing', async () => {
    const s = await importPersonalize(ctx.db, files());
    for (const f of s.files) expect(f.loaded).toMatchObject({ new: 0, updated: 0, alreadyPresent: f.loaded.total });
    expect(s).toMatchObject({ bareCustomers: 0, bareProducts: 0 });
    expect(
      await q('SELECT (SELECT count(*)::int FROM events) AS e, (SELECT count(*)::int FROM quarantine) AS q'),
    ).toEqual([{ e: 4, q: 6 }]);
  });

  it('refuses a file that lacks a required column, naming it, and imports nothing from any file', async () => {
    await writeFile(file('no-timestamp.csv'), 'USER_ID,ITEM_ID,EVENT_TYPE\nu9,i9,purchase\n');
    const attempt = importPersonalize(ctx.db, { interactions: file('no-timestamp.csv'), users: file('users.csv') });
    await expect(attempt).rejects.toThrow(CsvHeaderError);
    await expect(importPersonalize(ctx.db, { interactions: file('no-timestamp.csv') })).rejects.toThrow(
      'no-timestamp.csv: missing required column(s) TIMESTAMP',
    );
    expect(await q("SELECT id FROM customers WHERE id = 'u9'")).toEqual([]);
  });

  it('defaults EVENT_TYPE to purchase when the column is absent', async () => {
    await writeFile(file('minimal.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1701187200\n');
    await importPersonalize(ctx.db, { interactions: file('minimal.csv') });
    expect(await q("SELECT event_type, event_value FROM events WHERE user_id = 'u1'")).toEqual([
      { event_type: 'purchase', event_value: null },
    ]);
  });
});
