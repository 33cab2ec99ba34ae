import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { openCsv } from '../../src/csv/csv-file';
import { indexHeader } from '../../src/csv/csv-header';
import { CsvHeaderError } from '../../src/csv/csv-header-error';
import { CsvTokenizer, readCsvRecords, splitCsvRecord, type CsvRecord } from '../../src/csv/csv-records';

describe('splitCsvRecord', () => {
  it('splits plain and quoted fields, with doubled quotes and empty fields', () => {
    expect(splitCsvRecord('a,b,,d')).toEqual({ fields: ['a', 'b', '', 'd'] });
    expect(splitCsvRecord('1,"x, y","say ""hi""",')).toEqual({ fields: ['1', 'x, y', 'say "hi"', ''] });
    expect(splitCsvRecord('"a",')).toEqual({ fields: ['a', ''] });
  });

  it('reports malformed quoting instead of guessing', () => {
    expect(splitCsvRecord('1,"bad"x,2')).toEqual({
      error: expect.stringContaining('after a closing quote') as unknown,
    });
    expect(splitCsvRecord('1,ba"d,2')).toEqual({ error: expect.stringContaining('stray quote') as unknown });
    expect(splitCsvRecord('1,"open')).toBe('open');
  });
});

describe('openCsv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'csv-records-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function readAll(file: string): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    for await (const l of (await openCsv(file)).records) out.push(l);
    return out;
  }

  const text = 'h1,h2\r\n1,2\r\n"multi\nline",3\r\n4,"bad"x\r\n\r\n5,6\r\n';

  it('numbers records by their first physical line, in plain and gzip files alike', async () => {
    const plain = path.join(dir, 'a.csv');
    const gz = path.join(dir, 'a.csv.gz');
    await writeFile(plain, text);
    await writeFile(gz, gzipSync(text));
    const expected = [
      { line: 1, raw: 'h1,h2', fields: ['h1', 'h2'] },
      { line: 2, raw: '1,2', fields: ['1', '2'] },
      { line: 3, raw: '"multi\nline",3', fields: ['multi\nline', '3'] },
      { line: 5, raw: '4,"bad"x', error: expect.any(String) as unknown },
      { line: 7, raw: '5,6', fields: ['5', '6'] },
    ];
    expect(await readAll(plain)).toEqual(expected);
    expect(await readAll(gz)).toEqual(expected);
    expect((await openCsv(gz)).gzip).toBe(true);
    expect((await openCsv(plain)).gzip).toBe(false);
  });

  it('gives up on an unterminated quote without losing the lines after it', async () => {
    const file = path.join(dir, 'open.csv');
    const body = ['h', '"never closed', ...Array.from({ length: 25 }, (_, i) => `row${i}`)].join('\n');
    await writeFile(file, body);
    const lines = await readAll(file);
    expect(lines[1]).toEqual({ line: 2, raw: '"never closed', error: 'unterminated quoted field' });
    expect(lines.filter((l) => l.fields && l.raw.startsWith('row')).map((l) => l.line)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 3),
    );
  });
});

describe('readCsvRecords', () => {
  // What PostgreSQL's COPY ... CSV writes for a product name with a newline, a quote and a comma.
  const exported = '\uFEFFITEM_ID,ITEM_NAME,CATEGORY\r\np1,"Tea towel\n""Kitchen"", 2-pack",Linen\r\np2,Plain,Garden\n';
  const expected = [
    { line: 1, raw: 'ITEM_ID,ITEM_NAME,CATEGORY', fields: ['ITEM_ID', 'ITEM_NAME', 'CATEGORY'] },
    {
      line: 2,
      raw: 'p1,"Tea towel\n""Kitchen"", 2-pack",Linen',
      fields: ['p1', 'Tea towel\n"Kitchen", 2-pack', 'Linen'],
    },
    { line: 4, raw: 'p2,Plain,Garden', fields: ['p2', 'Plain', 'Garden'] },
  ];

  async function collect(chunks: (string | Buffer)[]): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    for await (const batch of readCsvRecords(Readable.from(chunks))) out.push(...batch);
    return out;
  }

  it('reads quoted fields across line breaks, doubled quotes and a BOM', async () => {
    expect(await collect([exported])).toEqual(expected);
  });

  it('gives the same records wherever the chunks are cut, even inside a UTF-8 character', async () => {
    const bytes = Buffer.from(exported.replace('Plain', 'Plaïn'));
    const want = expected.map((r) =>
      r.line === 4 ? { ...r, raw: 'p2,Plaïn,Garden', fields: ['p2', 'Plaïn', 'Garden'] } : r,
    );
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(want);
    }
  });

  it('ends an unterminated last record with an error, keeping its line number', () => {
    const t = new CsvTokenizer();
    expect(t.push('a,b\n1,"open\n')).toEqual([{ line: 1, raw: 'a,b', fields: ['a', 'b'] }]);
    expect(t.end()).toEqual([{ line: 2, raw: '1,"open', error: 'unterminated quoted field' }]);
  });
});

describe('indexHeader', () => {
  it('maps columns in any order and names the missing ones', () => {
    expect(indexHeader(['B', 'A', 'X'], ['A', 'B'], ['C'], 'f.csv')).toEqual({ A: 1, B: 0, C: -1 });
    expect(() => indexHeader(['A'], ['A', 'B'], [], 'f.csv')).toThrow(CsvHeaderError);
    expect(() => indexHeader(['A'], ['A', 'B'], [], 'f.csv')).toThrow(/missing required column\(s\) B/);
  });
});

describe('readCsvRecords limits', () => {
  it('skips an overlong line arriving in many pieces, keeping its start, and numbers the lines after it', async () => {
    const pieces = ['a,b\n1,', ...Array.from({ length: 50 }, () => 'x'.repeat(1000)), '\n2,3\n'];
    const out: CsvRecord[] = [];
    for await (const batch of readCsvRecords(Readable.from(pieces), { maxLineChars: 4096 })) out.push(...batch);
    expect(out.map((r) => [r.line, r.fields ?? r.error])).toEqual([
      [1, ['a', 'b']],
      [2, expect.stringContaining('record longer than 4096 characters')],
      [3, ['2', '3']],
    ]);
    expect(out[1]?.raw).toHaveLength(200);
  });
});
