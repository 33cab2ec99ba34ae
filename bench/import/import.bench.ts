// Import benchmark: the whole Online Retail file and the synthetic store at the reference size,
// each into a fresh schema, then again (the idempotent no-op path). Baselines measured in the same
// run: reading the file without a database, and generating the store without a database; the
// ratio says how much the database side adds.
//   npm run bench:import [-- --file PATH --customers N --products M --interactions K]
// (the file defaults to ONLINE_RETAIL_PATH or ../shared/datasets beside the repository)
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { createDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrator';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { readOnlineRetail } from '../../src/importers/online-retail/online-retail-reader';
import { requireDataset } from '../../test/support/datasets';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    customers: { type: 'string', default: '180484' },
    products: { type: 'string', default: '4182' },
    interactions: { type: 'string', default: '1971527' },
  },
});

const secs = (ms: number): string => (ms / 1000).toFixed(1);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  const out = await fn();
  return [out, Date.now() - t];
}

async function main(): Promise<void> {
  const schema = `bench_import_${Date.now().toString(36)}`;
  const config = loadConfig(process.env, { DATABASE_SCHEMA: schema, LOG_LEVEL: 'warn' });
  const admin = new Pool({ connectionString: config.database.url, max: 1 });
  await migrate(admin, schema);
  const db = createDatabase(config);
  try {
    const file = values.file ?? requireDataset('online-retail');
    const [rows, readMs] = await timed(async () => {
      let n = 0;
      for await (const _ of readOnlineRetail(file)) n++;
      return n;
    });
    const [first, importMs] = await timed(() => importOnlineRetail(db, file));
    const [, againMs] = await timed(() => importOnlineRetail(db, file));
    console.log(
      `online retail: ${rows} rows; read only ${secs(readMs)} s (baseline); import ${secs(importMs)} s ` +
        `(ratio ${(importMs / readMs).toFixed(2)}); re-import ${secs(againMs)} s; ${first.orderItems.new} order lines`,
    );

    await admin.query(
      `TRUNCATE "${schema}".customers, "${schema}".products, "${schema}".orders, "${schema}".order_items`,
    );
    const size = {
      customers: Number(values.customers),
      products: Number(values.products),
      interactions: Number(values.interactions),
    };
    const [store, genMs] = await timed(() => Promise.resolve(generateSyntheticStore({ ...size, seed: 42 })));
    const [written, writeMs] = await timed(() => writeSyntheticStore(db, store));
    const [, rewriteMs] = await timed(() => writeSyntheticStore(db, store));
    console.log(
      `generate ${size.customers}/${size.products}/${size.interactions}: generate only ${secs(genMs)} s (baseline); ` +
        `write ${secs(writeMs)} s (ratio ${(writeMs / genMs).toFixed(2)}; ${JSON.stringify(written.tableSeconds)}); ` +
        `total ${secs(genMs + writeMs)} s; rewrite (no-op) ${secs(rewriteMs)} s`,
    );
    console.log('note: timings depend on what else shares the CPU and the PostgreSQL server');
  } finally {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
