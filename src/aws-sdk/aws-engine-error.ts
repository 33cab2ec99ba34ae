// Errors of AWS calls (the Personalize engine and the S3 object store), each with a code the
// pipeline and alerts can switch on. Messages say what failed, the AWS reason, and what to do.
// Beside callAws, which raises ACCESS_DENIED and THROTTLED for both callers.
import { RecsError } from '../errors/recs-error';

export type AwsEngineErrorCode =
  | 'CREATE_FAILED' // a Personalize resource or job ended in CREATE FAILED / CREATE STOPPED
  | 'ACCESS_DENIED' // the credentials or the Personalize role lack an IAM action
  | 'THROTTLED' // throttling persisted through every retry
  | 'TIMEOUT' // a job ran past its configured per-kind timeout
  | 'NOT_SET_UP' // the dataset group, a dataset or a solution is missing: run `recs aws setup --apply`
  | 'BAD_INPUT'; // the run's datasets or the store cannot be used as they are

export class AwsEngineError extends RecsError {
  // THROTTLED has already been retried with backoff inside the engine; the rest need a person.
  readonly permanent: boolean;

  constructor(
    readonly code: AwsEngineErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AwsEngineError';
    this.permanent = code !== 'THROTTLED';
  }
}
