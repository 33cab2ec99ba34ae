// Writes a synthetic store as the three Personalize CSV files (REFERENCE.md, exact headers), so
// benchmarks and the engine can use it without a database.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { SyntheticStore } from './synthetic-store';

export const INTERACTIONS_HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE';
export const ITEMS_HEADER = 'ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT';
export const USERS_HEADER = 'USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND';

export interface PersonalizeCsvFiles {
  interactions: string;
  items: string;
  users: string;
}

/** Quotes a CSV field only when it must be (comma, quote or line break). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function writeLines(file: string, header: string, rows: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  const done = once(out, 'finish');
  let buf = `${header}\n`;
  for (const line of rows) {
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await done;
}

export async function writePersonalizeCsvFiles(store: SyntheticStore, dir: string): Promise<PersonalizeCsvFiles> {
  await mkdir(dir, { recursive: true });
  const files: PersonalizeCsvFiles = {
    interactions: path.join(dir, 'interactions.csv'),
    items: path.join(dir, 'items.csv'),
    users: path.join(dir, 'users.csv'),
  };
  const { lines, products, customers, orders } = store;
  const purchaseCount = new Uint32Array(products.length);
  const spend = new Float64Array(customers.length);
  const orderCount = new Uint32Array(customers.length);
  for (let i = 0; i < lines.count; i++) {
    const p = lines.product[i] ?? 0;
    purchaseCount[p] = (purchaseCount[p] ?? 0) + 1;
    const c = lines.customer[i] ?? 0;
    spend[c] = (spend[c] ?? 0) + (lines.quantity[i] ?? 1) * (products[p]?.price ?? 0);
  }
  for (let o = 0; o < orders.count; o++) {
    const c = orders.customer[o] ?? 0;
    orderCount[c] = (orderCount[c] ?? 0) + 1;
  }
  const userIds = customers.map((c) => csvField(c.id));
  const itemIds = products.map((p) => csvField(p.id));
  await writeLines(
    files.interactions,
    INTERACTIONS_HEADER,
    (function* () {
      for (let i = 0; i < lines.count; i++) {
        yield `${userIds[lines.customer[i] ?? 0]},${itemIds[lines.product[i] ?? 0]},${lines.occurredAt[i]},purchase,1`;
      }
    })(),
  );
  await writeLines(
    files.items,
    ITEMS_HEADER,
    products.map(
      (p, i) => `${itemIds[i]},${csvField(p.name)},${csvField(p.category)},${p.price.toFixed(2)},${purchaseCount[i]}`,
    ),
  );
  await writeLines(
    files.users,
    USERS_HEADER,
    customers.map(
      (c, i) =>
        `${userIds[i]},${csvField(c.city)},${csvField(c.province)},${orderCount[i]},${(spend[i] ?? 0).toFixed(2)}`,
    ),
  );
  return files;
}
