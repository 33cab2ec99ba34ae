// `recs doctor`: checks what a process needs before it starts work. Used as the worker's
// container health check and as the first thing to run when something is off.
import type { Command } from 'commander';
import { readdir } from 'node:fs/promises';
import { createDatabase } from '../../db/database';
import { MIGRATIONS_DIR } from '../../db/migrator';
import { createRedis, whenReady } from '../../infra/redis';
import { loadConfigOrExit } from './app-context';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check PostgreSQL, migrations, Redis (noeviction) and configuration; exit 1 on a problem')
    .option('--quiet', 'print only problems')
    .action(async (opts: { quiet?: boolean }) => {
      const config = loadConfigOrExit();
      const checks: Check[] = [];
      const db = createDatabase(config, { max: 1 });
      try {
        await db.pool.query('SELECT 1');
        checks.push({ name: 'postgresql', ok: true, detail: `connected (schema ${config.database.schema})` });
        const expected = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).length;
        const { rows } = await db.pool
          .query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          )
          .catch(() => ({ rows: [{ n: 0 }] }));
        const applied = rows[0]?.n ?? 0;
        checks.push({
          name: 'migrations',
          ok: applied >= expected,
          detail:
            applied >= expected ? `${applied} applied` : `${applied} of ${expected} applied: run \`recs migrate\``,
        });
      } catch (err) {
        checks.push({ name: 'postgresql', ok: false, detail: (err as Error).message });
      } finally {
        await db.close();
      }
      const redis = createRedis(config, 'request');
      try {
        await whenReady(redis);
        await redis.ping();
        const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
        const value = policy[1] ?? 'unknown';
        checks.push({ name: 'redis', ok: true, detail: 'connected' });
        checks.push({
          name: 'redis maxmemory-policy',
          ok: value === 'noeviction',
          detail: value === 'noeviction' ? value : `${value}: BullMQ needs noeviction (queued jobs could be evicted)`,
        });
      } catch (err) {
        checks.push({ name: 'redis', ok: false, detail: (err as Error).message });
      } finally {
        redis.disconnect();
      }
      checks.push({
        name: 'engine',
        ok: true,
        detail: `${config.engine.kind}, recipes ${config.engine.recipes.join(', ')}`,
      });
      for (const c of checks) {
        if (!opts.quiet || !c.ok) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(24)} ${c.detail}\n`);
      }
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });
}
