import { compareSchemaWithDatabase, expectedColumnType, parseSchema, type Dmmf } from '../support/schema-agreement';
import { createTestContext, type TestContext } from '../support/test-context';

describe('prisma/schema.prisma and the migrated database', () => {
  let ctx: TestContext;
  let dmmf: Dmmf;

  beforeAll(async () => {
    ctx = await createTestContext();
    dmmf = parseSchema();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it("parses the schema with Prisma's own parser", () => {
    const names = dmmf.datamodel.models.map((m) => m.dbName ?? m.name);
    expect(names).toEqual(
      expect.arrayContaining(['customers', 'order_items', 'quarantine', 'offline_user_recommendations']),
    );
    const item = dmmf.datamodel.models.find((m) => m.name === 'OrderItem');
    const lineKey = item?.fields.find((f) => f.name === 'lineKey');
    expect(lineKey && expectedColumnType(lineKey)).toBe('character varying(512)');
  });

  it('agree on every table, column type, nullability, default, primary key, unique constraint and index', async () => {
    expect(await compareSchemaWithDatabase(dmmf, ctx.db.pool, ctx.id)).toEqual([]);
  });

  it('reports drift: a changed column, a missing index, an extra table', async () => {
    const drifted = `${ctx.id}_drift`;
    const pool = ctx.db.pool;
    try {
      await pool.query(`CREATE SCHEMA "${drifted}"`);
      // A copy of the migrated tables, then three kinds of drift on top.
      const { rows } = await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = $1`, [
        ctx.id,
      ]);
      for (const { t } of rows) {
        await pool.query(`CREATE TABLE "${drifted}"."${t}" (LIKE "${ctx.id}"."${t}" INCLUDING ALL)`);
      }
      await pool.query(`ALTER TABLE "${drifted}".products ALTER COLUMN name SET NOT NULL`);
      await pool.query(`ALTER TABLE "${drifted}".batch_job_metadata ALTER COLUMN started_at TYPE timestamptz(6)`);
      await pool.query(`DROP INDEX "${drifted}".order_items_occurred_at_idx`);
      await pool.query(`CREATE TABLE "${drifted}".stray (id int)`);
      const problems = await compareSchemaWithDatabase(dmmf, pool, drifted);
      // LIKE ... INCLUDING ALL renames the copied indexes, so compare only the drifts we made.
      expect(problems).toEqual(
        expect.arrayContaining([
          'Product.name: column is NOT NULL, the schema says optional',
          'BatchJobMetadata.startedAt: column type is timestamp(6) with time zone, the schema says timestamp(6) without time zone',
          'table "stray" has no model in the schema',
        ]),
      );
      expect(
        problems.some((p) => p.startsWith('OrderItem: index order_items_occurred_at_idx (occurred_at) is missing')),
      ).toBe(true);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${drifted}" CASCADE`);
    }
  });
});
