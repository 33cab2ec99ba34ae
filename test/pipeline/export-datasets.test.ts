import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAttributes } from '../../src/engine/local/dataset-reader';
import { runLayout } from '../../src/engine/training-engine';
import { copyQueryToStore, INTERACTIONS_SQL, ITEMS_SQL, USERS_SQL } from '../../src/jobs/export-datasets.job';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { insertStore } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

describe('export-datasets', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-export-'));
    store = new DirectoryObjectStore(dir);
    await insertStore(ctx.db, {
      customers: [
        { id: 'customer_123', city: 'Lahore', province: 'Punjab' },
        { id: 'c2', city: 'Karachi, Sindh', province: 'Sindh' },
      ],
      products: [
        { id: 'product_456', name: 'Widget Pro', category: 'Electronics', price: 299.99 },
        { id: 'p2', name: 'Mug "Large", blue', category: 'Kitchen', price: 4.5 },
      ],
      lines: [
        {
          customer: 'customer_123',
          product: 'product_456',
          order: 'o1',
          at: '2023-11-28T16:00:00Z',
          quantity: 2,
          price: 299.99,
        },
        { customer: 'customer_123', product: 'p2', order: 'o1', at: '2023-11-28T16:00:00Z', quantity: 1, price: 4.5 },
        {
          customer: 'c2',
          product: 'p2',
          order: 'o2',
          at: '2023-11-29T00:00:00Z',
          quantity: 1,
          price: 4.5,
          eventType: 'return',
        },
      ],
      events: [
        {
          eventId: 'e1',
          userId: 'c2',
          productId: 'product_456',
          eventType: 'view',
          eventValue: 0.5,
          at: '2023-11-30T00:00:00Z',
        },
      ],
    });
  });

  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes interactions.csv with the exact header, order lines and recorded events', async () => {
    const layout = runLayout(1);
    const rows = await copyQueryToStore(ctx.db, store, layout.interactions, INTERACTIONS_SQL);
    expect(rows).toBe(4);
    const text = await readFile(path.join(dir, layout.interactions), 'utf8');
    expect(text.split('\n')).toEqual([
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
      'customer_123,p2,1701187200,purchase,1',
      'customer_123,product_456,1701187200,purchase,1',
      'c2,p2,1701216000,return,1',
      'c2,product_456,1701302400,view,0.5',
      '',
    ]);
  });

  it('writes items.csv with purchase counts and CSV quoting', async () => {
    const layout = runLayout(1);
    expect(await copyQueryToStore(ctx.db, store, layout.items, ITEMS_SQL)).toBe(2);
    const text = await readFile(path.join(dir, layout.items), 'utf8');
    expect(text.split('\n')).toEqual([
      'ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT',
      'p2,"Mug ""Large"", blue",Kitchen,4.5,1',
      'product_456,Widget Pro,Electronics,299.99,1',
      '',
    ]);
  });

  it('writes users.csv with order counts and spend', async () => {
    const layout = runLayout(1);
    expect(await copyQueryToStore(ctx.db, store, layout.users, USERS_SQL)).toBe(2);
    const text = await readFile(path.join(dir, layout.users), 'utf8');
    expect(text.split('\n')).toEqual([
      'USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND',
      'c2,"Karachi, Sindh",Sindh,1,0.00',
      'customer_123,Lahore,Punjab,1,604.48',
      '',
    ]);
  });

  it('writes a product name holding a newline so that the engine still reads its category', async () => {
    // PostgreSQL COPY ... CSV keeps a newline inside a quoted field: the engine's reader must too.
    await insertStore(ctx.db, {
      products: [
        { id: 'p3', name: 'Tea towel\n"Kitchen", 2-pack', category: 'Linen', price: 3 },
        { id: 'p4', name: 'After the towel', category: 'Garden', price: 1 },
      ],
    });
    const layout = runLayout(2);
    await copyQueryToStore(ctx.db, store, layout.items, ITEMS_SQL);
    const items = await readAttributes(await store.get(layout.items), 'items.csv', 'ITEM_ID', 'CATEGORY');
    expect(items.rejected).toEqual([]);
    expect(items.ids).toEqual(['p2', 'p3', 'p4', 'product_456']);
    expect(items.byId.get('p3')).toBe('Linen');
    expect(items.byId.get('p4')).toBe('Garden');
  });
});
