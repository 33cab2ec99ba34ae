import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { migrate } from '../../src/db/migrator';
import { uniqueName } from '../support/test-context';

describe('migrate', () => {
  const config = loadConfig(process.env);
  const pool = new Pool({ connectionString: config.database.url, max: 2 });
  const schema = uniqueName('mig');

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('brings an empty schema to the current version, then is a no-op', async () => {
    const first = await migrate(pool, schema);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toEqual([]);

    const second = await migrate(pool, schema);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const { rows } = await pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [schema],
    );
    const tables = rows.map((r: { table_name: string }) => r.table_name);
    for (const t of [
      'offline_user_recommendations',
      'offline_similar_items',
      'offline_item_affinity',
      'batch_job_metadata',
      'pipeline_runs',
      'quarantine',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('runs safely when two processes migrate at once', async () => {
    const other = uniqueName('mig2');
    try {
      const [a, b] = await Promise.all([migrate(pool, other), migrate(pool, other)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(
        [...a.alreadyApplied, ...b.alreadyApplied, ...a.applied, ...b.applied]
          .filter((x, i, all) => all.indexOf(x) === i)
          .sort(),
      );
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${other}"."_prisma_migrations"`,
      );
      expect(rows[0]!.n).toBe(a.applied.length + b.applied.length);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${other}" CASCADE`);
    }
  });
});
