// Opens a CSV file on disk (plain or gzip, detected by magic bytes) as records, counting the bytes
// read so that importers can show progress against the size on disk.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { readCsvRecords, type CsvRecord } from './csv-records';

export interface CsvSource {
  records: AsyncGenerator<CsvRecord>;
  /** Size of the file on disk (compressed bytes for gzip); the unit of bytesRead. */
  totalBytes: number;
  bytesRead(): number;
  gzip: boolean;
}

async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A plain or gzip file's byte stream, uncompressed; `onBytes` sees the bytes read from disk. */
function openFileText(file: string, gzip: boolean, onBytes?: (n: number) => void): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes)
    raw.on('data', (chunk: Buffer | string) => {
      onBytes(chunk.length);
    });
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

export async function openCsv(file: string): Promise<CsvSource> {
  const [gzip, info] = await Promise.all([isGzipFile(file), stat(file)]);
  let read = 0;
  // The streams are made on first iteration: a 'data' listener starts the flow at once, and
  // data flowing before anyone reads the records would be lost.
  async function* records(): AsyncGenerator<CsvRecord> {
    const text = openFileText(file, gzip, (n) => {
      read += n;
    });
    try {
      for await (const batch of readCsvRecords(text)) yield* batch;
    } finally {
      text.destroy();
    }
  }
  return { records: records(), totalBytes: info.size, bytesRead: () => read, gzip };
}
