// Each test file gets its own PostgreSQL schema (migrated) and its own Redis key prefix, on the
// machine's real servers; `close()` drops both.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { loadConfig, type Config } from '../../src/config/config';
import { createDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrator';
import { deleteRedisPrefix } from '../../src/infra/redis-prefix';

export interface TestContext {
  config: Config;
  db: Database;
  id: string;
  close(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const id = uniqueName('t');
  const config = loadConfig(process.env, {
    DATABASE_SCHEMA: id,
    QUEUE_PREFIX: id,
    SCHEDULES_ENABLED: 'false',
    // The engine's self-tuning costs up to its budget per FULL run: only the tests about it turn it on.
    ENGINE_TUNING: 'false',
    // Tests send bursts from one address; test/gateway/rate-limit.test.ts sets its own limits.
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_KEY: '1000000',
    ...overrides,
  });
  const admin = new Pool({ connectionString: config.database.url, max: 1 });
  try {
    await migrate(admin, id);
  } finally {
    await admin.end();
  }
  const db = createDatabase(config, { max: 5 });
  return {
    config,
    db,
    id,
    async close() {
      await db.close();
      const cleanup = new Pool({ connectionString: config.database.url, max: 1 });
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
      } finally {
        await cleanup.end();
      }
      await deleteRedisPrefix(config.redis.url, id);
    },
  };
}
