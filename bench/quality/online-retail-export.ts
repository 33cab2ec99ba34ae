// The quality benchmark's data: what the product itself exports for the Online Retail file. The
// file goes through the production importer into a database, the pipeline's export stage writes
// interactions.csv, and the engine's dataset reader reads it back, so the engine's defaults are
// chosen on the data a store running the product would train on (no cleaning of the bench's own).
import { rm } from 'node:fs/promises';
import type { RawInteractions } from '../../src/engine/local/dataset-reader';
import { readInteractions } from '../../src/engine/local/dataset-reader';
import type { Database } from '../../src/db/database';
import { createDatabase } from '../../src/db/database';
import { runLayout } from '../../src/engine/training-engine';
import {
  importOnlineRetail,
  type OnlineRetailImportSummary,
} from '../../src/importers/online-retail/online-retail-importer';
import { writeDatasetFiles } from '../../src/jobs/export-datasets.job';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import type { ObjectStore } from '../../src/storage/object-store';
import { dropBenchSchema, freshBenchConfig } from '../support/bench-schema';

export interface ExportedInteractions {
  raw: RawInteractions;
  imported: OnlineRetailImportSummary;
  exported: { interactions: number; items: number; users: number };
}

/** Imports `file` into `db` with the production importer, exports it as a run does, reads it back. */
export async function importAndExport(db: Database, store: ObjectStore, file: string): Promise<ExportedInteractions> {
  const imported = await importOnlineRetail(db, file);
  const layout = runLayout(1);
  const exported = await writeDatasetFiles(db, store, layout);
  const raw = await readInteractions(await store.get(layout.interactions), 'interactions.csv');
  return { raw, imported, exported };
}

/** The same in a bench schema and object-store directory of its own, dropped afterwards. */
export async function exportedOnlineRetail(file: string): Promise<ExportedInteractions> {
  const config = await freshBenchConfig(`bench_quality_${Date.now().toString(36)}`);
  const db = createDatabase(config);
  try {
    return await importAndExport(db, new DirectoryObjectStore(config.objectStore.dir), file);
  } finally {
    await db.close();
    await dropBenchSchema(config);
    await rm(config.objectStore.dir, { recursive: true, force: true });
  }
}
