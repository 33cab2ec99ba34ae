import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { writePersonalizeCsvFiles } from '../../generate/personalize-csv-writer';
import { generateSyntheticStore } from '../../generate/synthetic-store';
import { writeSyntheticStore } from '../../generate/synthetic-store-writer';
import { createProgress } from '../../terminal/progress';
import { withApp } from './app-context';

function count(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`must be a whole number >= ${min}`);
    return n;
  };
}

function isoDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('must be a date, e.g. 2026-11-25 or 2026-11-25T00:00:00Z');
  return d;
}

interface GenerateOptions {
  customers: number;
  products: number;
  interactions: number;
  seed: number;
  end?: Date;
  csvDir?: string;
}

const n = (v: number): string => v.toLocaleString('en-US');

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a realistic synthetic store (deterministic per seed) into the database')
    .requiredOption('--customers <n>', 'number of customers', count(1))
    .requiredOption('--products <n>', 'number of products', count(1))
    .requiredOption('--interactions <n>', 'number of order lines', count(0))
    .option('--seed <n>', 'random seed: the same seed (and --end) gives the same store', count(0), 42)
    .option('--end <date>', 'newest timestamp; lines fall in the year before it (default: today 00:00 UTC)', isoDate)
    .option('--csv-dir <dir>', 'also write interactions.csv, items.csv and users.csv (Personalize format) there')
    .action((opts: GenerateOptions) =>
      withApp(async ({ db }) => {
        const started = Date.now();
        const store = generateSyntheticStore({ ...opts, ...(opts.end ? { end: opts.end } : {}) });
        const generatedIn = (Date.now() - started) / 1000;
        process.stdout.write(
          `generated ${n(store.customers.length)} customers, ${n(store.products.length)} products, ` +
            `${n(store.orders.count)} orders, ${n(store.lines.count)} order lines (seed ${store.seed}) in ${generatedIn.toFixed(1)} s\n`,
        );
        const summary = await writeSyntheticStore(db, store, { progress: createProgress() });
        const row = (label: string, v: { total: number; new: number; alreadyPresent: number }): void => {
          process.stdout.write(
            `  ${label.padEnd(12)} ${n(v.total)} (${n(v.new)} new, ${n(v.alreadyPresent)} already present)\n`,
          );
        };
        const per = Object.entries(summary.tableSeconds)
          .map(([t, s]) => `${t} ${s.toFixed(1)} s`)
          .join(', ');
        process.stdout.write(`wrote the store in ${summary.seconds.toFixed(1)} s (${per})\n`);
        row('customers', summary.customers);
        row('products', summary.products);
        row('orders', summary.orders);
        row('order lines', summary.orderItems);
        if (opts.csvDir) {
          const files = await writePersonalizeCsvFiles(store, opts.csvDir);
          process.stdout.write(`wrote ${files.interactions}, ${files.items}, ${files.users}\n`);
        }
        process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }),
    );
}
