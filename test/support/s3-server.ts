// A real S3-compatible server (s3rver) on 127.0.0.1 and a random port, reached over HTTP through
// the SDK's own AWS_ENDPOINT_URL_S3 setting, exactly as an operator would point at MinIO or R2.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

const ENV_KEYS = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export async function startLocalS3(bucket = 'recs-test'): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'recs-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed test credentials, supplied through the default provider chain (env).
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  return {
    endpoint,
    bucket,
    async close() {
      await server.close();
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = saved[k];
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
