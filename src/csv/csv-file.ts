// Opens a CSV file on disk (plain or gzip, detected by magic bytes) as records, counting the bytes
// read so that importers can show progress against the size on disk.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { CsvFileRefused, DEFAULT_CSV_LIMITS, type CsvLimits } from './csv-limits';
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

/** Fails the stream once more than `max` bytes have come out of gunzip (a gzip bomb). */
function inflateLimit(file: string, max: number): Transform {
  let out = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      out += chunk.length;
      if (out > max)
        done(
          new CsvFileRefused(
            `${path.basename(file)}: refused, it inflates to more than ${max} bytes ` +
              `(IMPORT_MAX_DECOMPRESSED_BYTES); nothing of it was imported`,
          ),
        );
      else done(null, chunk);
    },
  });
}

/** A plain or gzip file's byte stream, uncompressed; `onBytes` sees the bytes read from disk. */
function openFileText(file: string, gzip: boolean, limits: CsvLimits, onBytes?: (n: number) => void): Readable {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes)
    raw.on('data', (chunk: Buffer | string) => {
      onBytes(chunk.length);
    });
  if (!gzip) return raw;
  const gunzip = createGunzip();
  const limited = inflateLimit(file, limits.maxDecompressedBytes);
  raw.on('error', (err) => gunzip.destroy(err));
  // A truncated or corrupt gzip stream refuses the whole file: its last rows cannot be trusted.
  gunzip.on('error', (err) =>
    limited.destroy(
      new CsvFileRefused(
        `${path.basename(file)}: refused, the gzip stream is truncated or corrupt (${err.message}); nothing of it was imported`,
      ),
    ),
  );
  return raw.pipe(gunzip).pipe(limited);
}

export async function openCsv(file: string, limits: Partial<CsvLimits> = {}): Promise<CsvSource> {
  const lim: CsvLimits = { ...DEFAULT_CSV_LIMITS, ...limits };
  const [gzip, info] = await Promise.all([isGzipFile(file), stat(file)]);
  let read = 0;
  // The streams are made on first iteration: a 'data' listener starts the flow at once, and
  // data flowing before anyone reads the records would be lost.
  async function* records(): AsyncGenerator<CsvRecord> {
    const text = openFileText(file, gzip, lim, (n) => {
      read += n;
    });
    try {
      for await (const batch of readCsvRecords(text, { maxLineChars: lim.maxLineChars })) yield* batch;
    } finally {
      text.destroy();
    }
  }
  return { records: records(), totalBytes: info.size, bytesRead: () => read, gzip };
}
