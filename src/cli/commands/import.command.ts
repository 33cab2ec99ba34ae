import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  importOnlineRetail,
  type OnlineRetailImportSummary,
} from '../../importers/online-retail/online-retail-importer';
import { importPersonalize, type PersonalizeImportSummary } from '../../importers/personalize/personalize-importer';
import { createProgress } from '../../terminal/progress';
import { withApp } from './app-context';

const ORDER_FORMATS = ['online-retail'] as const;
type OrderFormat = (typeof ORDER_FORMATS)[number];

function parseFormat(value: string): OrderFormat {
  if (!(ORDER_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`unknown format "${value}"; known: ${ORDER_FORMATS.join(', ')}`);
  }
  return value as OrderFormat;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const n = (v: number): string => v.toLocaleString('en-US');
const np = (v: { total: number; new: number; alreadyPresent: number }): string =>
  `${n(v.total)} (${n(v.new)} new, ${n(v.alreadyPresent)} already present)`;

export function printOnlineRetailSummary(s: OnlineRetailImportSummary, write = out): void {
  write(`imported ${s.file} in ${s.seconds.toFixed(1)} s`);
  write(`  rows read                ${n(s.rowsRead)}`);
  write(`  purchases                ${n(s.purchases)}`);
  write(`  returns                  ${n(s.returns)}`);
  write(`  skipped (no customer)    ${n(s.skippedNoCustomer)}`);
  write(`  skipped (not a product)  ${n(s.skippedNonProduct)}`);
  write(`  quarantined              ${np(s.quarantined)}`);
  if (s.erasedCustomerRows) write(`    of erased customers    ${n(s.erasedCustomerRows)}`);
  write(`  customers                ${np(s.customers)}, ${n(s.customers.updated)} updated`);
  write(`  products                 ${np(s.products)}, ${n(s.products.updated)} updated`);
  write(`  orders                   ${np(s.orders)}`);
  write(`  order lines              ${np(s.orderItems)}`);
}

export function printPersonalizeSummary(s: PersonalizeImportSummary, write = out): void {
  write(`imported Personalize files in ${s.seconds.toFixed(1)} s`);
  for (const f of s.files) {
    write(
      `  ${f.kind.padEnd(13)} ${f.file}: ${n(f.rowsRead)} rows, ${n(f.loaded.total)} loaded (${n(f.loaded.new)} new, ${n(f.loaded.alreadyPresent)} already present), ${n(f.quarantined)} quarantined`,
    );
  }
  write(`  customers created bare   ${n(s.bareCustomers)}`);
  write(`  products created bare    ${n(s.bareProducts)}`);
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('import store data from files (idempotent: importing a file twice changes nothing)');

  cmd
    .command('orders')
    .description('import order lines from a file (plain or gzip)')
    .requiredOption('--format <format>', `file format: ${ORDER_FORMATS.join(', ')}`, parseFormat)
    .argument('<file>', 'the file to import')
    .action((file: string) =>
      withApp(async ({ db, config }) => {
        const summary = await importOnlineRetail(db, file, { progress: createProgress(), limits: config.imports });
        printOnlineRetailSummary(summary);
      }),
    );

  cmd
    .command('personalize')
    .description('import the AWS Personalize CSV files (interactions, and optionally items and users)')
    .requiredOption('--interactions <file>', 'interactions.csv (USER_ID,ITEM_ID,TIMESTAMP[,EVENT_TYPE,EVENT_VALUE])')
    .option('--items <file>', 'items.csv (ITEM_ID[,ITEM_NAME,CATEGORY,PRICE])')
    .option('--users <file>', 'users.csv (USER_ID[,CITY,PROVINCE])')
    .action((opts: { interactions: string; items?: string; users?: string }) =>
      withApp(async ({ db, config }) => {
        const summary = await importPersonalize(db, opts, { progress: createProgress(), limits: config.imports });
        printPersonalizeSummary(summary);
      }),
    );
}
