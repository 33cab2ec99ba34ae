// PostgreSQL access built once at start-up and passed in: Prisma for typed queries, and the same
// pg pool for what Prisma does not do (COPY streams, bulk SQL).
import { Pool, type PoolClient } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config/config';

export interface Database {
  prisma: PrismaClient;
  pool: Pool;
  schema: string;
  /** Runs fn inside one transaction on one pooled connection. */
  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createPool(config: Pick<Config, 'database'>, max = 10): Pool {
  const { url, schema } = config.database;
  const pool = new Pool({
    connectionString: url,
    max,
    // Every connection works inside the configured schema, so tests (and tenants) can share a
    // database; and in UTC, so the cache tables' TIMESTAMP defaults hold UTC on any server.
    options: `-c TimeZone=UTC${schema === 'public' ? '' : ` -c search_path="${schema}"`}`,
    application_name: 'storefront-recs',
  });
  // An idle client's error (a server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

export function createDatabase(config: Pick<Config, 'database'>, opts: { max?: number } = {}): Database {
  const pool = createPool(config, opts.max);
  const adapter = new PrismaPg(pool, { schema: config.database.schema });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    pool,
    schema: config.database.schema,
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
