import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { createTestContext, type TestContext } from '../support/test-context';

// The commands as a user runs them: parsed by commander, against this test's own schema.
describe('recs import / recs generate', () => {
  let ctx: TestContext;
  let dir: string;
  let output: string[];
  const savedSchema = process.env.DATABASE_SCHEMA;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'import-cmd-'));
    process.env.DATABASE_SCHEMA = ctx.id;
  });
  afterAll(async () => {
    if (savedSchema === undefined) delete process.env.DATABASE_SCHEMA;
    else process.env.DATABASE_SCHEMA = savedSchema;
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    output = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  const run = (...args: string[]) => buildProgram().parseAsync(['node', 'recs', ...args]);

  it('imports an Online Retail file and prints the summary', async () => {
    const file = path.join(dir, 'orders.csv');
    await writeFile(
      file,
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        'C536379,21730,GLASS STAR FROSTED T-LIGHT HOLDER,-1,2010-12-01 09:41:00,4.25,14527.0,United Kingdom',
        '536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom',
      ].join('\n'),
    );
    await run('import', 'orders', '--format', 'online-retail', file);
    const text = output.join('');
    expect(text).toMatch(/rows read\s+3/);
    expect(text).toMatch(/purchases\s+1/);
    expect(text).toMatch(/returns\s+1/);
    expect(text).toMatch(/skipped \(no customer\)\s+1/);
    expect(text).toMatch(/order lines\s+2 \(2 new, 0 already present\)/);
  });

  it('refuses an unknown format', async () => {
    await expect(run('import', 'orders', '--format', 'shopify-csv', 'x.csv')).rejects.toThrow(
      /unknown format "shopify-csv"/,
    );
  });

  it('generates a small store and its Personalize CSV files', async () => {
    await run(
      'generate',
      '--customers',
      '50',
      '--products',
      '20',
      '--interactions',
      '400',
      '--seed',
      '5',
      '--csv-dir',
      dir,
    );
    const text = output.join('');
    expect(text).toMatch(/generated 50 customers, 20 products, [\d,]+ orders, 400 order lines \(seed 5\)/);
    expect(text).toMatch(/order lines\s+400 \(400 new/);
    expect(text).toContain(path.join(dir, 'interactions.csv'));
    const { rows } = await ctx.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE source = 'synthetic'",
    );
    expect(rows[0]!.n).toBeGreaterThan(50);
  });
});
