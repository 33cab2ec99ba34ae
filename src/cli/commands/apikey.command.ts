// `recs apikey create|list|revoke`: API keys for the gateway. A key is printed once, at creation;
// only its sha256 hash is stored.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { createApiKey, isRole, listApiKeys, revokeApiKey, ROLES, type Role } from '../../gateway/auth/api-keys';
import { withApp } from './app-context';

function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value;
}

export function registerApiKey(program: Command): void {
  const cmd = program
    .command('apikey')
    .description('manage API keys of the gateway (roles: read, ingest, admin, publishable)');
  cmd
    .command('create')
    .description('create a key and print it once (store it now: it cannot be shown again)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .option('--name <name>', 'a label for humans (at most 100 characters)')
    .option(
      '--origin <origin>',
      'a browser origin a publishable key works from, e.g. https://shop.example.com (repeat for several)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action((opts: { role: Role; name?: string; origin: string[] }) =>
      withApp(async ({ db }) => {
        const { key, info } = await createApiKey(db.pool, opts.role, opts.name, opts.origin);
        process.stdout.write(
          `created API key ${info.id} (${info.prefix}..., role ${info.role}, "${info.name}")\n${key}\n`,
        );
      }),
    );
  cmd
    .command('list')
    .description('list keys (prefix, role, created, last used, revoked); never the keys themselves')
    .action(() =>
      withApp(async ({ db }) => {
        const keys = await listApiKeys(db.pool);
        if (!keys.length) process.stdout.write('no API keys; create one with `recs apikey create --role admin`\n');
        for (const k of keys) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          const used = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
          const origins = k.allowedOrigins.length ? `\t${k.allowedOrigins.join(' ')}` : '';
          process.stdout.write(
            `${k.id}\t${k.prefix}...\t${k.role}\t${state}\tlast used ${used}\t${k.name}${origins}\n`,
          );
        }
      }),
    );
  cmd
    .command('revoke')
    .description('revoke a key by id or prefix (gateways stop accepting it within 10 s)')
    .argument('<idOrPrefix>', 'the key id or its prefix as `recs apikey list` shows it')
    .action((ref: string) =>
      withApp(async ({ db }) => {
        const info = await revokeApiKey(db.pool, ref.replace(/\.\.\.$/, ''));
        process.stdout.write(`revoked API key ${info.id} (${info.prefix}..., role ${info.role})\n`);
      }),
    );
}
