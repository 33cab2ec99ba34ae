import { callAws, type RetryPolicy } from '../../src/aws-sdk/aws-call';
import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { awsError } from '../support/fake-personalize';

function policy(attempts = 4): RetryPolicy & { delays: number[] } {
  const delays: number[] = [];
  return {
    attempts,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

describe('callAws', () => {
  it('retries throttling with growing backoff, then returns the result', async () => {
    const p = policy();
    let calls = 0;
    const out = await callAws(
      'personalize:DescribeSolution',
      () => {
        if (++calls < 4) return Promise.reject(awsError('ThrottlingException', 'Rate exceeded'));
        return Promise.resolve('ok');
      },
      p,
    );
    expect(out).toBe('ok');
    expect(calls).toBe(4);
    expect(p.delays).toHaveLength(3);
    // Full jitter keeps each delay within [cap/2, cap] of a doubling cap.
    expect(p.delays[0]).toBeGreaterThanOrEqual(50);
    expect(p.delays[0]).toBeLessThanOrEqual(100);
    expect(p.delays[2]).toBeGreaterThanOrEqual(200);
    expect(p.delays[2]).toBeLessThanOrEqual(400);
  });

  it('gives up after the configured attempts with a THROTTLED error naming the action', async () => {
    const p = policy(3);
    const err = await callAws(
      'personalize:CreateSolution',
      () => Promise.reject(awsError('ThrottlingException', 'Rate exceeded')),
      p,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsEngineError);
    expect((err as AwsEngineError).code).toBe('THROTTLED');
    expect((err as Error).message).toMatch(/personalize:CreateSolution was throttled by AWS 3 times/);
  });

  it('turns AccessDenied into an error naming the missing IAM action, without retrying', async () => {
    const p = policy();
    let calls = 0;
    const err = await callAws(
      'personalize:CreateBatchInferenceJob',
      () => {
        calls++;
        return Promise.reject(awsError('AccessDeniedException', 'not authorized', 403));
      },
      p,
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((err as AwsEngineError).code).toBe('ACCESS_DENIED');
    expect((err as Error).message).toContain(
      'AWS denied personalize:CreateBatchInferenceJob: grant "personalize:CreateBatchInferenceJob"',
    );
  });

  it('passes other errors through untouched and at once', async () => {
    const p = policy();
    const original = awsError('InvalidInputException', 'bad name');
    await expect(callAws('personalize:CreateSchema', () => Promise.reject(original), p)).rejects.toBe(original);
    expect(p.delays).toEqual([]);
  });

  it('retries transient server errors', async () => {
    const p = policy();
    let calls = 0;
    await callAws(
      's3:GetObject',
      () => {
        if (++calls === 1) return Promise.reject(awsError('InternalError', 'oops', 500));
        return Promise.resolve(1);
      },
      p,
    );
    expect(calls).toBe(2);
  });
});
