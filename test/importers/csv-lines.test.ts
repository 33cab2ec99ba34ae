import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { indexHeader, openCsv, splitCsvRecord, type CsvLine } from '../../src/importers/csv/csv-lines';
import { CsvHeaderError } from '../../src/importers/csv/csv-header-error';

describe('splitCsvRecord', () => {
  it('splits plain and quoted fields, with doubled quotes and empty fields', () => {
    expect(splitCsvRecord('a,b,,d')).toEqual({ fields: ['a', 'b', '', 'd'] });
    expect(splitCsvRecord('1,"x, y","say ""hi""",')).toEqual({ fields: ['1', 'x, y', 'say "hi"', ''] });
    expect(splitCsvRecord('"a",')).toEqual({ fields: ['a', ''] });
  });

  it('reports malformed quoting instead of guessing', () => {
    expect(splitCsvRecord('1,"bad"x,2')).toEqual({ error: expect.stringContaining('after a closing quote') });
    expect(splitCsvRecord('1,ba"d,2')).toEqual({ error: expect.stringContaining('stray quote') });
    expect(splitCsvRecord('1,"open')).toBe('open');
  });
});

describe('openCsv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'csv-lines-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function readAll(file: string): Promise<CsvLine[]> {
    const out: CsvLine[] = [];
    for await (const l of (await openCsv(file)).lines) out.push(l);
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
      { line: 5, raw: '4,"bad"x', error: expect.any(String) },
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

describe('indexHeader', () => {
  it('maps columns in any order and names the missing ones', () => {
    expect(indexHeader(['B', 'A', 'X'], ['A', 'B'], ['C'], 'f.csv')).toEqual({ A: 1, B: 0, C: -1 });
    expect(() => indexHeader(['A'], ['A', 'B'], [], 'f.csv')).toThrow(CsvHeaderError);
    expect(() => indexHeader(['A'], ['A', 'B'], [], 'f.csv')).toThrow(/missing required column\(s\) B/);
  });
});
