// Small store data with known answers: two clusters of customers (kitchen buyers in Punjab,
// garden buyers in Sindh) who each buy 6 of their cluster's 10 products and view the other 4.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { runLayout, type EngineContext, type RecipeName, RECIPES } from '../../src/engine/training-engine';
import { createLogger } from '../../src/infra/logger';

export const T0 = 1_700_000_000;

export function itemId(cluster: 'k' | 'g', n: number): string {
  return `${cluster}${n}`;
}

export function userId(n: number): string {
  return `u${String(n).padStart(2, '0')}`;
}

/** 60 customers x (6 purchases + 4 products viewed 3 times) = 1,080 rows. */
export function interactionsCsv(): string {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
  for (let n = 0; n < 60; n++) {
    const c = n < 30 ? 'k' : 'g';
    for (let j = 0; j < 6; j++) lines.push(`${userId(n)},${itemId(c, (n + j) % 10)},${T0 + n * 100 + j},purchase,1`);
    for (let j = 6; j < 10; j++) {
      for (let r = 0; r < 3; r++)
        lines.push(`${userId(n)},${itemId(c, (n + j) % 10)},${T0 + n * 100 + j * 3 + r},view,1`);
    }
  }
  return lines.join('\n') + '\n';
}

export function itemsCsv(): string {
  const lines = ['ITEM_ID,ITEM_NAME,CATEGORY,PRICE,PURCHASE_COUNT'];
  for (let n = 0; n < 10; n++) lines.push(`k${n},"Pan, ${n}",Kitchen,10.00,1`, `g${n},Rake ${n},Garden,5.00,1`);
  lines.push('knew,New pan,Kitchen,12.00,0');
  return lines.join('\n') + '\n';
}

export function usersCsv(): string {
  const lines = ['USER_ID,CITY,PROVINCE,ORDER_COUNT,TOTAL_SPEND'];
  for (let n = 0; n < 60; n++) lines.push(`${userId(n)},City,${n < 30 ? 'Punjab' : 'Sindh'},6,60.00`);
  lines.push('unew,Lahore,Punjab,0,0');
  return lines.join('\n') + '\n';
}

export interface Fixture {
  dir: string;
  store: DirectoryObjectStore;
  ctx: EngineContext;
  cleanup(): void;
}

export async function fixtureStore(
  files: { interactions?: string; items?: string | null; users?: string | null } = {},
  recipes: RecipeName[] = [...RECIPES],
): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-test-'));
  const store = new DirectoryObjectStore(dir);
  const layout = runLayout(7);
  await store.put(layout.interactions, files.interactions ?? interactionsCsv());
  if (files.items !== null) await store.put(layout.items, files.items ?? itemsCsv());
  if (files.users !== null) await store.put(layout.users, files.users ?? usersCsv());
  const ctx: EngineContext = {
    runId: 7,
    mode: 'FULL',
    recipes,
    store,
    layout,
    logger: createLogger({ logLevel: 'silent' }),
    progress: () => Promise.resolve(),
  };
  return {
    dir,
    store,
    ctx,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function readText(store: DirectoryObjectStore, key: string): Promise<string> {
  let s = '';
  for await (const chunk of await store.get(key)) s += (chunk as Buffer).toString();
  return s;
}

export async function readJsonLines(store: DirectoryObjectStore, key: string): Promise<Record<string, unknown>[]> {
  return (await readText(store, key))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
