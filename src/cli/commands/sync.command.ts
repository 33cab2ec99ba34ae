// `recs sync shopify`: pulls orders, customers and products from the Shopify Admin API with a
// progress bar (src/terminal/progress.ts). Ctrl-C stops after the page in flight is saved; running it again resumes there.
import type { Command } from 'commander';
import { syncShopify, type SyncProgress } from '../../connectors/shopify/shopify-sync';
import { ShopifyNotConfiguredError, SyncAbortedError } from '../../connectors/shopify/shopify-errors';
import { withApp } from './app-context';
import { createProgress } from '../../terminal/progress';

interface ShopifySyncFlags {
  full?: boolean;
  bulk?: boolean;
  pageSize?: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 250)
    throw new Error(`--page-size must be an integer from 1 to 250, got "${value}"`);
  return n;
}

/** Order counts with pages as detail; the total grows as Shopify reports more orders. */
function progressReporter(): { update: (p: SyncProgress) => void; stop: () => void } {
  const progress = createProgress();
  let started = false;
  return {
    update: (p) => {
      const total = Math.max(p.total ?? p.done, p.done);
      if (!started) progress.start('shopify sync', total, 'orders');
      started = true;
      const what =
        p.phase === 'bulk-waiting'
          ? 'bulk operation: Shopify reading'
          : p.phase === 'bulk-applying'
            ? 'bulk operation: applying orders'
            : p.phase === 'bulk-products'
              ? `bulk operation: ${p.done} catalogue products`
              : `${p.pages} pages`;
      progress.update(p.done, { total, detail: `${what}${p.resumed ? ' (resumed)' : ''}` });
    },
    stop: () => {
      progress.stop();
    },
  };
}

export function registerSync(program: Command): void {
  const sync = program.command('sync').description('pull store data into PostgreSQL');
  sync
    .command('shopify')
    .description(
      'sync orders (with line items, refunds and cancellations), customers and products from the Shopify Admin API; ' +
        'incremental from the last watermark; Ctrl-C stops after the current page and the next run resumes there',
    )
    .option('--full', 'ignore the watermark and read every order again')
    .option(
      '--bulk',
      'read every order through one Shopify bulk operation (a first sync of SHOPIFY_BULK_MIN_ORDERS orders does so anyway)',
    )
    .option(
      '--page-size <n>',
      'orders per request (1-250; default 10, sized for Shopify query-cost limits)',
      positiveInt,
    )
    .action((flags: ShopifySyncFlags) =>
      withApp(async ({ db, config, logger }) => {
        const ac = new AbortController();
        let signals = 0;
        const onSignal = () => {
          signals += 1;
          if (signals > 1) process.exit(130); // a second Ctrl-C: the user wants out now; the cursor is safe
          ac.abort();
          process.stderr.write('\nstopping after the current page (Ctrl-C again to quit at once)...\n');
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const progress = progressReporter();
        try {
          const r = await syncShopify(
            { db, config, logger, progress: progress.update },
            { signal: ac.signal, full: flags.full, bulk: flags.bulk, pageSize: flags.pageSize },
          );
          progress.stop();
          process.stdout.write(
            `shopify sync of ${config.shopify.shop}${r.resumed ? ' (resumed)' : ''}: ${r.orders} orders, ${r.lineItems} lines, ` +
              `${r.customers} customers, ${r.products} products in ${r.bulk ? `bulk operation ${r.bulk.operationId}` : `${r.pages} pages`}; ` +
              `${r.quarantined} quarantined, ${r.stale} stale skipped; ` +
              `watermark ${r.watermark ?? 'none'}\n`,
          );
        } catch (err) {
          progress.stop();
          if (err instanceof SyncAbortedError) {
            process.stderr.write(`${err.message}\n`);
            process.exitCode = 130;
            return;
          }
          if (err instanceof ShopifyNotConfiguredError) {
            process.stderr.write(`${err.message}\n`);
            process.exitCode = 2;
            return;
          }
          throw err;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );
}
