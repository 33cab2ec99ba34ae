// Builds the configured object store: a local directory by default, S3 with OBJECT_STORE=s3 or
// ENGINE=aws (config.objectStore.kind is already 's3' then).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config';
import { createS3Client } from '../aws-sdk/aws-clients';
import { retryPolicyFrom } from '../aws-sdk/aws-call';
import { DirectoryObjectStore } from './directory-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-object-store';

export function createObjectStore(
  config: Pick<Config, 'objectStore' | 'aws'>,
  deps: { s3Client?: S3Client } = {},
): ObjectStore {
  if (config.objectStore.kind === 'dir') return new DirectoryObjectStore(config.objectStore.dir);
  if (!config.aws.bucket) throw new Error('S3_BUCKET is required when the object store is S3');
  return new S3ObjectStore({
    client: deps.s3Client ?? createS3Client(config),
    bucket: config.aws.bucket,
    prefix: config.aws.prefix,
    partSizeBytes: config.aws.partSizeBytes,
    retry: retryPolicyFrom(config.aws.retryAttempts),
  });
}
