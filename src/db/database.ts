// PostgreSQL access built once at start-up and passed in: Prisma for typed queries, and the same
// pg pool for what Prisma does not do (COPY streams, bulk SQL).
import { Client, Pool, type PoolClient } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config/config';

export interface Database {
  prisma: PrismaClient;
  pool: Pool;
  schema: string;
  /** The configured bounds; the loader reads swapLockMs for its table swap. */
  timeouts: Config['database']['timeouts'];
  /** Runs fn inside one transaction on one pooled connection. */
  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PoolOptions {
  max?: number;
  /**
   * The gateway's pool: a hung or locked PostgreSQL must cost a request a bounded time, so waits
   * for a connection, statements, locks and unanswered queries are all limited (config.database
   * .timeouts). Workers' pools are not: their COPY and training queries legitimately run long.
   */
  requestPath?: boolean;
}

export function createPool(config: Pick<Config, 'database'>, opts: PoolOptions = {}): Pool {
  const { url, schema, timeouts } = config.database;
  const bounded = opts.requestPath === true;
  // Every connection works inside the configured schema, so tests (and tenants) can share a
  // database; and in UTC, so the cache tables' TIMESTAMP defaults hold UTC on any server.
  const settings = [`-c TimeZone=UTC`];
  if (schema !== 'public') settings.push(`-c search_path="${schema}"`);
  if (bounded) settings.push(`-c statement_timeout=${timeouts.statementMs}`, `-c lock_timeout=${timeouts.lockMs}`);
  const pool = new Pool({
    connectionString: url,
    max: opts.max ?? 10,
    options: settings.join(' '),
    application_name: 'storefront-recs',
    ...(bounded ? { connectionTimeoutMillis: timeouts.connectMs, query_timeout: timeouts.queryMs } : {}),
  });
  // An idle client's error (a server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * One connection of its own, outside every pool, for a session that stays open (LISTEN): held in
 * a pool it would take a slot for good, and the pool could never end while it is held.
 */
export async function connectDedicated(config: Pick<Config, 'database'>, name: string): Promise<Client> {
  const client = new Client({
    connectionString: config.database.url,
    application_name: `storefront-recs ${name}`,
    connectionTimeoutMillis: config.database.timeouts.connectMs,
  });
  await client.connect();
  return client;
}

export function createDatabase(config: Pick<Config, 'database'>, opts: PoolOptions = {}): Database {
  const pool = createPool(config, opts);
  const adapter = new PrismaPg(pool, { schema: config.database.schema });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    pool,
    schema: config.database.schema,
    timeouts: config.database.timeouts,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
