// Objects in one S3 bucket under a key prefix; any S3-compatible service works through the SDK's
// endpoint settings and S3_FORCE_PATH_STYLE. Writes go through lib-storage's Upload: one PUT for
// small bodies, a multipart upload for large ones, each part with a CRC32 checksum that S3 checks.
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { callAws, DEFAULT_RETRY, type RetryPolicy } from '../aws-sdk/aws-call';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './object-store';

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key; empty or ending with '/'. */
  prefix?: string;
  /** Multipart part size (S3 minimum 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded in parallel. */
  queueSize?: number;
  retry?: RetryPolicy;
}

const MIN_PART = 5 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly retry: RetryPolicy;

  constructor(opts: S3ObjectStoreOptions) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? '';
    if (this.prefix && !this.prefix.endsWith('/')) this.prefix += '/';
    this.partSize = Math.max(MIN_PART, opts.partSizeBytes ?? 16 * 1024 * 1024);
    this.queueSize = opts.queueSize ?? 4;
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  /** The bucket key of a store key; rejects keys that would escape the prefix. */
  fullKey(key: string): string {
    const normalized = path.posix.normalize(key);
    if (!key || normalized.startsWith('..') || path.posix.isAbsolute(normalized) || normalized !== key) {
      throw new Error(`invalid object key: ${key}`);
    }
    return `${this.prefix}${key}`;
  }

  async put(key: string, body: Readable | Buffer | string): Promise<ObjectInfo> {
    const Key = this.fullKey(key);
    let size = 0;
    let Body: Readable | Buffer;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      Body = typeof body === 'string' ? Buffer.from(body) : body;
      size = Body.length;
    } else {
      // Count bytes on the way through, so the size is known without a second request.
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      body.on('error', (err) => counter.destroy(err));
      Body = body.pipe(counter);
    }
    // Upload retries each part itself; an AccessDenied still gets the clear message.
    await callAws(
      's3:PutObject',
      () =>
        new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key, Body, ChecksumAlgorithm: 'CRC32' },
          partSize: this.partSize,
          queueSize: this.queueSize,
          leavePartsOnError: false,
        }).done(),
      { ...this.retry, attempts: Buffer.isBuffer(Body) ? this.retry.attempts : 1 },
    );
    return { key, size };
  }

  async get(key: string): Promise<Readable> {
    const Key = this.fullKey(key);
    try {
      const out = await callAws(
        's3:GetObject',
        () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key })),
        this.retry,
      );
      if (!out.Body) throw new ObjectNotFoundError(key);
      const body = out.Body as Readable;
      // Hand back a plain stream so callers never depend on the SDK's stream mixin.
      return body instanceof Readable ? body : Readable.from(body as AsyncIterable<Buffer>).pipe(new PassThrough());
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.fullKey(key);
    try {
      await callAws(
        's3:GetObject',
        () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key })),
        this.retry,
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await callAws(
        's3:ListBucket',
        () =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: `${this.prefix}${prefix}`,
              ContinuationToken: token,
            }),
          ),
        this.retry,
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    const Key = this.fullKey(key);
    await callAws(
      's3:DeleteObject',
      () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })),
      this.retry,
    );
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${this.fullKey(key)}`;
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null | undefined;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.$metadata?.httpStatusCode === 404 ||
    err instanceof ObjectNotFoundError
  );
}
