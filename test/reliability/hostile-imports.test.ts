// Hostile import files, generated on the fly: each bad record is quarantined with its line and
// a clear reason while the rest of the file loads, or the whole file is refused and nothing of it
// stays. The limits are set small here: a 1 MiB line limit runs the same code as a 100 MB line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { createTestContext, type TestContext } from '../support/test-context';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const LIMITS = { maxLineChars: 1 << 20, maxDecompressedBytes: 1 << 20 };

/** A valid purchase line of invoice `inv`. */
const row = (inv: string, stock = '85123A'): string =>
  `${inv},${stock},LANTERN,1,2010-12-01 08:26:00,2.55,17850.0,United Kingdom`;

describe('hostile import files', () => {
  let ctx: TestContext;
  let dir: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'hostile-'));
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const orders = async (prefix: string): Promise<string[]> =>
    (
      await ctx.db.pool.query<{ id: string }>('SELECT id FROM orders WHERE id LIKE $1 ORDER BY id', [`${prefix}%`])
    ).rows.map((r) => r.id);
  const quarantined = async (file: string): Promise<{ line_number: number; reason: string; raw: string }[]> =>
    (
      await ctx.db.pool.query<{ line_number: number; reason: string; raw: string }>(
        'SELECT line_number, reason, raw FROM quarantine WHERE file = $1 ORDER BY line_number',
        [file],
      )
    ).rows;

  async function write(name: string, content: string | Buffer): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  }

  it('quarantines a line over the line limit, keeping only its start, and loads the rest', async () => {
    const huge = `L1002,85123A,${'x'.repeat(3 << 20)},1,2010-12-01 08:26:00,2.55,17850.0,UK`;
    const text = [HEADER, row('L1001'), huge, row('L1003'), ''].join('\n');
    for (const [name, content] of [
      ['long-line.csv', text],
      ['long-line.csv.gz', gzipSync(text)],
    ] as const) {
      const s = await importOnlineRetail(ctx.db, await write(name, content), {
        limits: { ...LIMITS, maxDecompressedBytes: 8 << 20 },
      });
      expect(s.quarantined.total).toBe(1);
      const [q] = await quarantined(name);
      expect(q?.line_number).toBe(3);
      expect(q?.reason).toContain('IMPORT_MAX_LINE_CHARS');
      expect(q?.raw).toBe(huge.slice(0, 200));
    }
    expect(await orders('L')).toEqual(['L1001', 'L1003']);
  });

  it('quarantines a quoted field that grows a record past the line limit; its later lines stand alone', async () => {
    const lines = Array.from({ length: 15 }, () => 'y'.repeat(100_000));
    const text = [HEADER, row('Q1001'), `Q1002,85123A,"${lines.join('\n')}`, row('Q1003'), ''].join('\n');
    await importOnlineRetail(ctx.db, await write('long-quoted.csv', text), { limits: LIMITS });
    const q = await quarantined('long-quoted.csv');
    // Line 3 and the quoted field's first ten lines pass the limit; lines 14-17 are read on their
    // own (as after any unterminated quote) so that the row after them still loads.
    expect(q.map((r) => [r.line_number, r.reason])).toEqual([
      [3, expect.stringContaining('IMPORT_MAX_LINE_CHARS')],
      ...[14, 15, 16, 17].map((n) => [n, 'expected 8 columns, got 1']),
    ]);
    expect(q[0]?.raw.length).toBe(200);
    expect(await orders('Q')).toEqual(['Q1001', 'Q1003']);
  });

  it('refuses a gzip bomb with a message naming the limit, importing nothing of it', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => row(`B${i}`));
    const bomb = gzipSync([HEADER, ...rows, ''].join('\n'));
    expect(bomb.length).toBeLessThan(LIMITS.maxDecompressedBytes / 4);
    await expect(importOnlineRetail(ctx.db, await write('bomb.csv.gz', bomb), { limits: LIMITS })).rejects.toThrow(
      /bomb\.csv\.gz: refused, it inflates to more than 1048576 bytes \(IMPORT_MAX_DECOMPRESSED_BYTES\)/,
    );
    expect(await orders('B')).toEqual([]);
    expect(await quarantined('bomb.csv.gz')).toEqual([]);
  });

  it('quarantines a row with invalid UTF-8 instead of storing U+FFFD', async () => {
    const content = Buffer.concat([
      Buffer.from(`${HEADER}\n${row('U1001')}\nU1002,85123A,BAD`),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(`,1,2010-12-01 08:26:00,2.55,17850.0,UK\n${row('U1003')}\n`),
    ]);
    await importOnlineRetail(ctx.db, await write('utf8.csv', content), { limits: LIMITS });
    expect((await quarantined('utf8.csv')).map((r) => [r.line_number, r.reason])).toEqual([
      [3, 'invalid UTF-8 at column 17'],
    ]);
    expect(await orders('U')).toEqual(['U1001', 'U1003']);
  });

  it('quarantines a row with a NUL byte in an id instead of altering the id', async () => {
    const text = [HEADER, row('N1001'), row('N1002', '851\u000023A'), row('N1003'), ''].join('\n');
    await importOnlineRetail(ctx.db, await write('nul.csv', text), { limits: LIMITS });
    expect((await quarantined('nul.csv')).map((r) => [r.line_number, r.reason])).toEqual([
      [3, 'NUL byte at column 10'],
    ]);
    expect(await orders('N')).toEqual(['N1001', 'N1003']);
    const altered = await ctx.db.pool.query("SELECT id FROM products WHERE id LIKE '851%3A' AND id <> '85123A'");
    expect(altered.rows).toEqual([]);
  });

  it('quarantines the last row of a plain file that ends mid-row, or mid-quote', async () => {
    await importOnlineRetail(ctx.db, await write('cut.csv', `${HEADER}\n${row('T1001')}\nT1002,85123A,WHI`), {
      limits: LIMITS,
    });
    expect((await quarantined('cut.csv')).map((r) => [r.line_number, r.reason])).toEqual([
      [3, 'expected 8 columns, got 3'],
    ]);
    await importOnlineRetail(ctx.db, await write('cut-quote.csv', `${HEADER}\n${row('T2001')}\nT2002,85123A,"WHI`), {
      limits: LIMITS,
    });
    expect((await quarantined('cut-quote.csv')).map((r) => [r.line_number, r.reason])).toEqual([
      [3, 'unterminated quoted field'],
    ]);
    expect(await orders('T')).toEqual(['T1001', 'T2001']);
  });

  it('refuses a file whose rejected rows pass IMPORT_MAX_REJECTED_MB whole, instead of holding them all', async () => {
    // Rejected rows wait in memory for the import's one commit: a file of bad rows must not grow
    // that without bound. 2,000 unreadable rows of ~300 characters pass a 256 KiB budget.
    const bad = Array.from({ length: 2000 }, (_, i) => `M${i},${'z'.repeat(300)}`);
    const file = await write('many-bad.csv', [HEADER, row('M-good'), ...bad, ''].join('\n'));
    await expect(
      importOnlineRetail(ctx.db, file, { limits: { ...LIMITS, maxRejectedBytes: 256 * 1024 } }),
    ).rejects.toThrow(
      /many-bad\.csv: more than 0\.25 MiB of rejected rows \(\d+ rows so far; IMPORT_MAX_REJECTED_MB\): the file is refused as a whole and nothing of it was imported/,
    );
    expect(await orders('M')).toEqual([]);
    expect(await quarantined('many-bad.csv')).toEqual([]);
    // The same file within the default budget loads its good row and quarantines the rest.
    const s = await importOnlineRetail(ctx.db, file, { limits: LIMITS });
    expect(s.quarantined.total).toBe(2000);
    expect(await orders('M')).toEqual(['M-good']);
  });

  it('refuses a truncated gzip file with a clear message, importing nothing of it', async () => {
    const whole = gzipSync([HEADER, ...Array.from({ length: 2000 }, (_, i) => row(`G${i}`)), ''].join('\n'));
    const file = await write('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(importOnlineRetail(ctx.db, file, { limits: LIMITS })).rejects.toThrow(
      /cut\.csv\.gz: refused, the gzip stream is truncated or corrupt \(.+\); nothing of it was imported/,
    );
    expect(await orders('G')).toEqual([]);
  });
});
