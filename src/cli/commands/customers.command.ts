// `recs customers export <id>` and `recs customers erase <id>`: a customer's right of access and
// right to erasure (src/privacy), the same as Shopify's customers/data_request and customers/redact.
import type { Command } from 'commander';
import { createRedis, whenReady } from '../../infra/redis';
import { eraseCustomers } from '../../privacy/customer-erasure';
import { exportCustomerData } from '../../privacy/customer-export';
import { withApp } from './app-context';

export function registerCustomers(program: Command): void {
  const customers = program.command('customers').description("a customer's data: export it, erase it");
  customers
    .command('export <customerId>')
    .description('print everything held about a customer as JSON (for a data request)')
    .action((customerId: string) =>
      withApp(async ({ db }) => {
        process.stdout.write(`${JSON.stringify(await exportCustomerData(db.pool, customerId), null, 2)}\n`);
      }),
    );
  customers
    .command('erase <customerId>')
    .description(
      'erase a customer: orders, order lines, events, cached recommendations, segments, hot-layer keys; ' +
        'later data for the id is refused',
    )
    .action((customerId: string) =>
      withApp(async ({ db, config, logger }) => {
        const redis = createRedis(config, 'worker');
        try {
          await whenReady(redis, 3_000);
          const counts = await eraseCustomers({ db, redis, prefix: config.redis.prefix, logger }, [customerId], 'cli');
          const summary = Object.entries(counts)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ');
          process.stdout.write(`erased customer ${customerId}: ${summary}\n`);
        } finally {
          redis.disconnect();
        }
      }),
    );
}
