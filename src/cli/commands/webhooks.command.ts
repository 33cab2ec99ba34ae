// `recs webhooks status` and `recs webhooks replay`: Shopify deliveries still owed or failed, and
// queueing failed ones again from their stored bodies (after the cause of the failure is fixed).
import type { Command } from 'commander';
import { replayWebhooks, webhookCounts } from '../../connectors/shopify';
import { createRedis } from '../../infra/redis';
import { Queues } from '../../queues/queues';
import { QUEUE } from '../../queues/registry';
import { bullWebhookQueue } from '../../queues/webhook-queue';
import { withApp } from './app-context';

interface ReplayFlags {
  id?: string[];
  failed?: boolean;
}

export function registerWebhooks(program: Command): void {
  const webhooks = program.command('webhooks').description('Shopify webhook deliveries: status and replay');
  webhooks
    .command('status')
    .description('count the deliveries still owed (pending, retrying) and those that failed every attempt')
    .action(() =>
      withApp(async ({ db }) => {
        const c = await webhookCounts(db.pool);
        const oldest = c.oldestOwedSeconds === null ? 'none' : `${Math.round(c.oldestOwedSeconds)} s`;
        process.stdout.write(
          `webhooks: ${c.pending} pending, ${c.retrying} retrying, ${c.failed} failed; oldest owed ${oldest}\n`,
        );
      }),
    );
  webhooks
    .command('replay')
    .description('queue failed deliveries again from their stored bodies: --id for some, --failed for all')
    .option('--id <webhookId...>', 'X-Shopify-Webhook-Id of a failed delivery (repeatable)')
    .option('--failed', 'every failed delivery')
    .action((flags: ReplayFlags) =>
      withApp(async ({ db, config, logger }) => {
        if (!flags.id?.length && !flags.failed) {
          process.stderr.write('say which deliveries: --id <webhookId...> or --failed\n');
          process.exitCode = 2;
          return;
        }
        const redis = createRedis(config, 'worker');
        const queues = new Queues(config, redis);
        try {
          const queue = bullWebhookQueue(queues.get(QUEUE.webhooks), config);
          const ids = await replayWebhooks(
            { pool: db.pool, queue, logger },
            flags.id?.length ? { ids: flags.id } : { allFailed: true },
          );
          process.stdout.write(`replayed ${ids.length} webhook(s)${ids.length ? `: ${ids.join(', ')}` : ''}\n`);
        } finally {
          await queues.close();
          redis.disconnect();
        }
      }),
    );
}
