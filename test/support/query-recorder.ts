// Records the SQL of every pool.query sent from now on (the statements a request costs PostgreSQL).
import type { Pool } from 'pg';

export function recordQueries(pool: Pool): { sql: string[]; stop(): void } {
  const sql: string[] = [];
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const spy = jest.spyOn(pool, 'query').mockImplementation((...args: unknown[]) => {
    const first = args[0];
    sql.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
    return original(...args);
  });
  return {
    sql,
    stop: () => {
      spy.mockRestore();
    },
  };
}
