// Right to erasure at the two other ways data comes in: recordEvents (the GraphQL mutation; the
// REST API has no events route) refuses an erased customer's events, and the file importers move
// their rows to the quarantine with a clear reason (and no copy of the line) while the rest loads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { importPersonalize } from '../../src/importers/personalize/personalize-importer';
import { createLogger } from '../../src/infra/logger';
import { eraseCustomers } from '../../src/privacy/customer-erasure';
import { startGateway, type Harness } from '../support/gateway-harness';
import { createTestContext, type TestContext } from '../support/test-context';

const RECORD = `mutation($events: [EventInput!]!) { recordEvents(events: $events) { accepted duplicates rejected { index eventId reason } } }`;
type Result = {
  recordEvents: {
    accepted: number;
    duplicates: number;
    rejected: { index: number; eventId: string | null; reason: string }[];
  };
};

describe('erased customers at ingest', () => {
  let ctx: TestContext;
  let h: Harness;
  let key: string;
  let dir: string;
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await ctx.db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;

  beforeAll(async () => {
    ctx = await createTestContext();
    key = (await createApiKey(ctx.db.pool, 'ingest')).key;
    h = await startGateway(ctx);
    dir = await mkdtemp(path.join(tmpdir(), 'erased-'));
    const deps = {
      db: ctx.db,
      redis: null,
      prefix: ctx.config.redis.prefix,
      logger: createLogger({ logLevel: 'silent' }),
    };
    await eraseCustomers(deps, ['gone-1', '17850'], 'test');
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("recordEvents refuses an erased customer's events with a reason and stores the others", async () => {
    const r = await h.gql<Result>(
      RECORD,
      {
        events: [
          { userId: 'kept-1', productId: 'p1', eventType: 'view', eventId: 'er-1' },
          { userId: 'gone-1', productId: 'p1', eventType: 'view', eventId: 'er-2' },
          { userId: 'gone-1', productId: 'p2', eventType: 'purchase' },
        ],
      },
      key,
    );
    const result = r.body.data!.recordEvents;
    expect(result.accepted).toBe(1);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map((x) => [x.index, x.eventId])).toEqual([
      [1, 'er-2'],
      [2, null],
    ]);
    expect(result.rejected[0]!.reason).toMatch(/erased customer/);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE user_id = $1`, ['gone-1'])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE user_id = $1`, ['kept-1'])).toBe(1);
  });

  it("an Online Retail import quarantines the erased customer's rows without their text and loads the rest", async () => {
    const file = path.join(dir, 'retail.csv');
    await writeFile(
      file,
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        'E1001,85123A,LANTERN,1,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        'E1002,85123A,LANTERN,1,2010-12-01 08:26:00,2.55,13047.0,United Kingdom',
        'E1003,71053,LAMP,2,2010-12-01 08:28:00,3.39,17850.0,United Kingdom',
        '',
      ].join('\n'),
    );
    for (let round = 0; round < 2; round++) {
      const s = await importOnlineRetail(ctx.db, file);
      expect(s.erasedCustomerRows).toBe(2);
      expect(s.quarantined.total).toBe(2);
      expect(s.quarantined.new).toBe(round === 0 ? 2 : 0);
    }
    const q = await ctx.db.pool.query<{ line_number: number; reason: string; raw: string }>(
      `SELECT line_number, reason, raw FROM quarantine WHERE file = 'retail.csv' ORDER BY line_number`,
    );
    expect(q.rows.map((r) => r.line_number)).toEqual([2, 4]);
    expect(q.rows[0]!.reason).toMatch(/customer erased/);
    expect(q.rows.every((r) => r.raw === '')).toBe(true);
    expect(await count(`SELECT count(*)::int AS n FROM customers WHERE id = $1`, ['17850'])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM order_items WHERE customer_id = $1`, ['17850'])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM orders WHERE id = 'E1002'`, [])).toBe(1);
  });

  it("a Personalize import quarantines the erased customer's users and interactions rows", async () => {
    const interactions = path.join(dir, 'interactions.csv');
    const users = path.join(dir, 'users.csv');
    await writeFile(
      interactions,
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\ngone-1,p1,1701187200,purchase\nkept-2,p1,1701187200,purchase\n',
    );
    await writeFile(users, 'USER_ID,CITY\ngone-1,Leeds\nkept-2,York\n');
    const s = await importPersonalize(ctx.db, { interactions, users });
    expect(s.files.map((f) => [f.kind, f.quarantined, f.loaded.total])).toEqual([
      ['users', 1, 1],
      ['interactions', 1, 1],
    ]);
    expect(s.bareCustomers).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM customers WHERE id = $1`, ['gone-1'])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE user_id = $1`, ['gone-1'])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE user_id = $1`, ['kept-2'])).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM quarantine WHERE source LIKE 'personalize-%' AND reason LIKE 'customer erased%'`,
        [],
      ),
    ).toBe(2);
  });
});
