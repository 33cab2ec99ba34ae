// Limits that keep the CSV reader's memory bounded on hostile files. src/config sets them from
// IMPORT_MAX_LINE_CHARS and IMPORT_MAX_DECOMPRESSED_BYTES; tests set small ones so a 1 MiB line
// proves the same code path as a 100 MB one.
export interface CsvLimits {
  /** A record longer than this (in characters, inner line breaks included) is quarantined unread. */
  maxLineChars: number;
  /** A gzip file that inflates to more than this many bytes is refused as a whole. */
  maxDecompressedBytes: number;
  /**
   * Rejected rows are held until the import's one commit (so nothing is half-imported); past this
   * many bytes of them (raw text, reason and bookkeeping) the file is refused as a whole, so a file
   * of nothing but bad rows cannot exhaust memory.
   */
  maxRejectedBytes: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = {
  maxLineChars: 1 << 20,
  maxDecompressedBytes: 8 * 1024 ** 3,
  maxRejectedBytes: 64 * 1024 ** 2,
};

/** How much of an overlong record is kept as its raw text in the quarantine. */
export const OVERLONG_PREVIEW_CHARS = 200;

/** A file refused as a whole (gzip bomb, truncated or corrupt gzip): nothing of it is imported. */
export class CsvFileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFileRefused';
  }
}
