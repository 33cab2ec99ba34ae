/** A CSV file whose header lacks a required column: the whole file is refused before any row is read. */
export class CsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvHeaderError';
  }
}
