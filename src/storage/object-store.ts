// Where datasets and batch outputs live between stages: a local directory by default, S3 (or any
// S3-compatible service) for ENGINE=aws. Keys are relative paths such as `runs/42/interactions.csv`.
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectStore {
  readonly kind: 'dir' | 's3';
  /** Writes the whole body; the object appears only once it is complete. */
  put(key: string, body: Readable | Buffer | string): Promise<ObjectInfo>;
  get(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
  /** A location for humans and for AWS (file path or s3:// URI). */
  uri(key: string): string;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}
