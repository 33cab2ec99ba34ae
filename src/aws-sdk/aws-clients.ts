// AWS SDK clients built from the validated config. Credentials come only from the SDK's default
// provider chain (env, shared files, SSO, instance/container roles): the project never holds them.
// Endpoints are not set here on purpose, so the SDK's own AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL_PERSONALIZE and AWS_ENDPOINT_URL_PERSONALIZE_EVENTS settings (and the shared
// config file's endpoint_url) keep working for S3-compatible stores and test doubles.
import { S3Client } from '@aws-sdk/client-s3';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import type { Config } from '../config/config';

type AwsConfig = Pick<Config, 'aws'>;

function region(config: AwsConfig): string {
  if (!config.aws.region) throw new Error('AWS_REGION is required for the AWS engine and the S3 object store');
  return config.aws.region;
}

export function createS3Client(config: AwsConfig): S3Client {
  return new S3Client({ region: region(config), forcePathStyle: config.aws.forcePathStyle, maxAttempts: 3 });
}

export function createPersonalizeClient(config: AwsConfig): PersonalizeClient {
  return new PersonalizeClient({ region: region(config), maxAttempts: 3 });
}

export function createPersonalizeEventsClient(config: AwsConfig): PersonalizeEventsClient {
  return new PersonalizeEventsClient({ region: region(config), maxAttempts: 3 });
}
