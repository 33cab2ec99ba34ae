// Benchmarks run in their own PostgreSQL schema and Redis prefix, dropped when they finish.
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { loadConfig, type Config } from '../../src/config/config';
import { migrate } from '../../src/db/migrator';
import { deleteRedisPrefix } from '../../src/infra/redis-prefix';

export async function freshBenchConfig(name: string, overrides: Record<string, string> = {}): Promise<Config> {
  const config = loadConfig(process.env, {
    DATABASE_SCHEMA: name,
    QUEUE_PREFIX: name,
    OBJECT_STORE_DIR: `.data/bench/${name}`,
    SCHEDULES_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  const pool = new Pool({ connectionString: config.database.url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await migrate(pool, name);
    await deleteRedisPrefix(config.redis.url, name);
  } finally {
    await pool.end();
  }
  return config;
}

export async function dropBenchSchema(config: Config): Promise<void> {
  const pool = new Pool({ connectionString: config.database.url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${config.database.schema}" CASCADE`);
    await deleteRedisPrefix(config.redis.url, config.redis.prefix);
  } finally {
    await pool.end();
  }
}

/** Peak resident memory (VmHWM) of a live process, in MB; null once it has exited. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
