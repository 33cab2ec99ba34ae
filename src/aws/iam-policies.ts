// The IAM documents a store installs for the AWS engine. The project prints them and never creates
// IAM users, roles or keys itself: who may do what in an account stays the account owner's call.
import type { Config } from '../config/config';

type PolicyDocument = { Version: '2012-10-17'; Statement: Record<string, unknown>[] };

export interface IamPolicies {
  /** Trust policy of PERSONALIZE_ROLE_ARN: lets Personalize assume the role. */
  roleTrustPolicy: PolicyDocument;
  /** Inline policy of that role (attach the AWS managed AmazonPersonalizeFullAccess too). */
  rolePolicy: PolicyDocument;
  roleManagedPolicyArn: string;
  /** Bucket policy of S3_BUCKET: Personalize reads datasets and writes batch outputs. */
  bucketPolicy: PolicyDocument;
  /** Policy of the identity the service runs as (default credential chain). */
  servicePolicy: PolicyDocument;
}

/** Every Personalize action the project calls, for the service identity's policy. */
export const PERSONALIZE_ACTIONS = [
  'personalize:CreateDatasetGroup',
  'personalize:DescribeDatasetGroup',
  'personalize:ListDatasetGroups',
  'personalize:CreateSchema',
  'personalize:DescribeSchema',
  'personalize:ListSchemas',
  'personalize:CreateDataset',
  'personalize:DescribeDataset',
  'personalize:ListDatasets',
  'personalize:CreateDatasetImportJob',
  'personalize:DescribeDatasetImportJob',
  'personalize:ListDatasetImportJobs',
  'personalize:CreateSolution',
  'personalize:DescribeSolution',
  'personalize:ListSolutions',
  'personalize:CreateSolutionVersion',
  'personalize:DescribeSolutionVersion',
  'personalize:ListSolutionVersions',
  'personalize:GetSolutionMetrics',
  'personalize:CreateBatchInferenceJob',
  'personalize:DescribeBatchInferenceJob',
  'personalize:ListBatchInferenceJobs',
  'personalize:CreateBatchSegmentJob',
  'personalize:DescribeBatchSegmentJob',
  'personalize:ListBatchSegmentJobs',
  'personalize:CreateFilter',
  'personalize:DescribeFilter',
  'personalize:ListFilters',
  'personalize:CreateEventTracker',
  'personalize:DescribeEventTracker',
  'personalize:ListEventTrackers',
  'personalize:PutEvents',
];

export function iamPolicies(aws: Config['aws']): IamPolicies {
  const bucket = aws.bucket ?? '<S3_BUCKET>';
  const roleArn = aws.roleArn ?? 'arn:aws:iam::<ACCOUNT_ID>:role/<PERSONALIZE_ROLE>';
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
  const partition = /^arn:(aws[a-z-]*):/.exec(roleArn)?.[1] ?? 'aws';
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const objects = `${bucketArn}/${aws.prefix}*`;
  const sourceAccount = account ? { Condition: { StringEquals: { 'aws:SourceAccount': account } } } : {};
  return {
    roleTrustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'personalize.amazonaws.com' },
          Action: 'sts:AssumeRole',
          ...sourceAccount,
        },
      ],
    },
    rolePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ListBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] },
        {
          Sid: 'ReadDatasetsWriteOutputs',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: [objects],
        },
      ],
    },
    roleManagedPolicyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonPersonalizeFullAccess`,
    bucketPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PersonalizeS3BucketAccessPolicy',
          Effect: 'Allow',
          Principal: { Service: 'personalize.amazonaws.com' },
          Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
          Resource: [bucketArn, `${bucketArn}/*`],
          ...sourceAccount,
        },
      ],
    },
    servicePolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Personalize', Effect: 'Allow', Action: PERSONALIZE_ACTIONS, Resource: '*' },
        {
          Sid: 'PassPersonalizeRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: roleArn,
          Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
        },
        { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] },
        {
          Sid: 'Objects',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          Resource: [objects],
        },
      ],
    },
  };
}
