import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { createTestContext, type TestContext } from '../support/test-context';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

// Line numbers: the header is line 1.
const FIXTURE =
  [
    HEADER,
    '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom', // 2 purchase
    '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom', // 3 purchase
    '536365,85123A,,2,2010-12-01 08:26:00,2.55,17850.0,United Kingdom', // 4 same code again in the invoice
    'C536379,21730,GLASS STAR FROSTED T-LIGHT HOLDER,-1,2010-12-01 09:41:00,4.25,14527.0,United Kingdom', // 5 cancellation
    '536380,71053,"WHITE METAL LANTERN, NEW",-3,2010-12-02 10:00:00,3.50,12583.0,France', // 6 negative quantity
    '536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom', // 7 no customer
    '536415,22140,BAD,1,2010-12-01 11:52:00,1.0,12583.0', // 8 seven columns
    '536416,22141,BAD,1,12/01/2010 11:52,1.0,12583.0,France', // 9 bad date
    '536417,22142,BAD,many,2010-12-01 11:52:00,1.0,12583.0,France', // 10 bad quantity
    '536418,,BAD,1,2010-12-01 11:52:00,1.0,12583.0,France', // 11 empty StockCode
    '536419,22143,BAD,1,2010-12-01 11:52:00,1,2,12583.0,France', // 12 nine columns
    '536420,22144,"BAD"quote,1,2010-12-01 11:52:00,1.0,12583.0,France', // 13 malformed quoting
    '536421,22145,BAD,1,2010-12-01 11:52:00,x,12583.0,France', // 14 bad price
    '536422,85123A,WHITE HANGING HEART T-LIGHT HOLDER (NEW),1,2010-12-03 10:00:00,2.95,12583.0,France', // 15 purchase, newer name
  ].join('\n') + '\n';

describe('importOnlineRetail', () => {
  let ctx: TestContext;
  let dir: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'online-retail-'));
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const q = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await ctx.db.pool.query<T>(sql, params)).rows;

  it('applies the cleaning rules and quarantines each bad line with its line number', async () => {
    const file = path.join(dir, 'fixture.csv');
    await writeFile(file, FIXTURE);
    const s = await importOnlineRetail(ctx.db, file);
    expect(s).toMatchObject({
      rowsRead: 14,
      purchases: 4,
      returns: 2,
      skippedNoCustomer: 1,
      quarantined: { total: 7, new: 7 },
      customers: { total: 3, new: 3 },
      products: { total: 3, new: 3 },
      orders: { total: 4, new: 4 },
      orderItems: { total: 6, new: 6, alreadyPresent: 0 },
    });

    const quarantine = await q<{ line_number: number; reason: string; raw: string; source: string; file: string }>(
      'SELECT source, file, line_number, reason, raw FROM quarantine ORDER BY line_number',
    );
    expect(quarantine.map((r) => [r.line_number, r.reason])).toEqual([
      [8, 'expected 8 columns, got 7'],
      [9, 'InvoiceDate "12/01/2010 11:52" is not a valid YYYY-MM-DD HH:MM:SS'],
      [10, 'Quantity "many" is not an integer'],
      [11, 'empty StockCode'],
      [12, 'expected 8 columns, got 9'],
      [13, expect.stringContaining('closing quote')],
      [14, 'UnitPrice "x" is not a number'],
    ]);
    expect(quarantine[0]).toMatchObject({
      source: 'online-retail',
      file: 'fixture.csv',
      raw: '536415,22140,BAD,1,2010-12-01 11:52:00,1.0,12583.0',
    });

    const items = await q<{
      line_key: string;
      event_type: string;
      quantity: number;
      customer_id: string;
      order_id: string;
    }>('SELECT line_key, event_type, quantity, customer_id, order_id FROM order_items ORDER BY line_key');
    expect(items).toEqual([
      {
        line_key: 'online-retail:536365:71053:1',
        event_type: 'purchase',
        quantity: 6,
        customer_id: '17850',
        order_id: '536365',
      },
      {
        line_key: 'online-retail:536365:85123A:1',
        event_type: 'purchase',
        quantity: 6,
        customer_id: '17850',
        order_id: '536365',
      },
      {
        line_key: 'online-retail:536365:85123A:2',
        event_type: 'purchase',
        quantity: 2,
        customer_id: '17850',
        order_id: '536365',
      },
      {
        line_key: 'online-retail:536380:71053:1',
        event_type: 'return',
        quantity: 3,
        customer_id: '12583',
        order_id: '536380',
      },
      {
        line_key: 'online-retail:536422:85123A:1',
        event_type: 'purchase',
        quantity: 1,
        customer_id: '12583',
        order_id: '536422',
      },
      {
        line_key: 'online-retail:C536379:21730:1',
        event_type: 'return',
        quantity: 1,
        customer_id: '14527',
        order_id: 'C536379',
      },
    ]);

    // Country is the province; the most recent non-empty description names the product.
    expect(await q('SELECT id, city, province FROM customers ORDER BY id')).toEqual([
      { id: '12583', city: null, province: 'France' },
      { id: '14527', city: null, province: 'United Kingdom' },
      { id: '17850', city: null, province: 'United Kingdom' },
    ]);
    expect(await q('SELECT id, name, category, price FROM products ORDER BY id')).toEqual([
      { id: '21730', name: 'GLASS STAR FROSTED T-LIGHT HOLDER', category: null, price: 4.25 },
      { id: '71053', name: 'WHITE METAL LANTERN, NEW', category: null, price: 3.39 },
      { id: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER (NEW)', category: null, price: 2.95 },
    ]);
    expect(
      await q(
        "SELECT id, customer_id, source, status, ordered_at FROM orders WHERE id IN ('536365', 'C536379') ORDER BY id",
      ),
    ).toEqual([
      {
        id: '536365',
        customer_id: '17850',
        source: 'online-retail',
        status: 'placed',
        ordered_at: new Date('2010-12-01T08:26:00Z'),
      },
      {
        id: 'C536379',
        customer_id: '14527',
        source: 'online-retail',
        status: 'cancelled',
        ordered_at: new Date('2010-12-01T09:41:00Z'),
      },
    ]);
  });

  it('changes nothing when the same file is imported again, gzip or plain', async () => {
    const before = await q(
      'SELECT (SELECT count(*) FROM order_items) AS i, (SELECT count(*) FROM quarantine) AS q, (SELECT max(updated_at) FROM customers) AS u',
    );
    const gz = path.join(dir, 'fixture.csv');
    await writeFile(gz, gzipSync(FIXTURE)); // same name, now gzip: detected by its magic bytes
    const s = await importOnlineRetail(ctx.db, gz);
    expect(s).toMatchObject({
      quarantined: { total: 7, new: 0, alreadyPresent: 7 },
      customers: { new: 0, alreadyPresent: 3, updated: 0 },
      products: { new: 0, alreadyPresent: 3, updated: 0 },
      orders: { new: 0, alreadyPresent: 4 },
      orderItems: { total: 6, new: 0, alreadyPresent: 6 },
    });
    expect(
      await q(
        'SELECT (SELECT count(*) FROM order_items) AS i, (SELECT count(*) FROM quarantine) AS q, (SELECT max(updated_at) FROM customers) AS u',
      ),
    ).toEqual(before);
  });

  it('refuses a file whose header lacks a column, and imports nothing', async () => {
    const file = path.join(dir, 'noheader.csv');
    await writeFile(file, 'InvoiceNo,StockCode,Quantity\n1,2,3\n');
    await expect(importOnlineRetail(ctx.db, file)).rejects.toThrow(
      /missing required column\(s\) Description, InvoiceDate, UnitPrice, CustomerID, Country/,
    );
  });
});
