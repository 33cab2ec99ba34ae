// Every AWS request goes through callAws: throttling and transient errors are retried with
// exponential backoff and jitter, and AccessDenied becomes an error naming the IAM action.
// (The SDK retries too, but only a few times; Personalize control-plane limits are low, and the
// mocks in tests bypass the SDK's middleware, so the policy lives here where it is testable.)
import { AwsEngineError } from './aws-engine-error';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { action: string; attempt: number; delayMs: number; error: string }) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 20_000 };

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);
const TRANSIENT = new Set([
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
]);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'Forbidden']);

interface AwsLikeError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function awsErrorName(err: unknown): string {
  const e = err as AwsLikeError | null | undefined;
  return e?.name ?? e?.Code ?? 'Error';
}

export function isThrottling(err: unknown): boolean {
  const e = err as AwsLikeError | null | undefined;
  return (
    THROTTLING.has(awsErrorName(err)) || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429
  );
}

function isTransient(err: unknown): boolean {
  const status = (err as AwsLikeError | null | undefined)?.$metadata?.httpStatusCode ?? 0;
  return TRANSIENT.has(awsErrorName(err)) || status >= 500;
}

export function isAccessDenied(err: unknown): boolean {
  return DENIED.has(awsErrorName(err)) || (err as AwsLikeError | null | undefined)?.$metadata?.httpStatusCode === 403;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one AWS request. `action` is the IAM action it needs (`personalize:CreateSolution`,
 * `s3:PutObject`), used in the AccessDenied message so an operator knows what to grant.
 */
export async function callAws<T>(
  action: string,
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (isAccessDenied(err)) {
        throw new AwsEngineError(
          'ACCESS_DENIED',
          `AWS denied ${action}: grant "${action}" to the credentials the service runs with ` +
            `(or to the Personalize role for jobs); see \`recs aws setup\` for the policies. AWS said: ${(err as Error).message}`,
          { action },
        );
      }
      const retryable = isThrottling(err) || isTransient(err);
      if (!retryable) throw err;
      if (attempt >= policy.attempts) {
        if (isThrottling(err)) {
          throw new AwsEngineError(
            'THROTTLED',
            `${action} was throttled by AWS ${attempt} times in a row; giving up for now (${awsErrorName(err)}: ${(err as Error).message})`,
            { action, attempts: attempt },
          );
        }
        throw err;
      }
      // Full jitter: spreads the retries of parallel workers so they do not hit the limit together.
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(cap / 2 + (Math.random() * cap) / 2);
      policy.onRetry?.({ action, attempt, delayMs, error: awsErrorName(err) });
      await sleep(delayMs);
    }
  }
}

export function retryPolicyFrom(attempts: number, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, attempts, ...overrides };
}
