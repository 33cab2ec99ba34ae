// A small synthetic store (the project's own generator) written into a test schema.
import type { Database } from '../../src/db/database';
import { generateSyntheticStore, type SyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';

export async function seedSyntheticStore(
  db: Database,
  size: { customers: number; products: number; interactions: number; seed?: number } = {
    customers: 300,
    products: 60,
    interactions: 4_000,
  },
): Promise<SyntheticStore> {
  const store = generateSyntheticStore({ seed: 7, end: new Date(Date.UTC(2025, 0, 1)), ...size });
  await writeSyntheticStore(db, store);
  return store;
}
