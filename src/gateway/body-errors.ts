// Request bodies that cannot be read as GraphQL (too large, not JSON), answered in GraphQL's error
// shape, by the response-cache lane and by Express's body parser alike.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { LIMITS } from './input-limits';

export type BodyProblem = 'too-large' | 'not-json';

const ANSWERS: Record<BodyProblem, { status: number; body: string }> = {
  'too-large': {
    status: 413,
    body: JSON.stringify({
      errors: [
        { message: `request body exceeds ${LIMITS.maxBodyBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } },
      ],
    }),
  },
  'not-json': {
    status: 400,
    body: JSON.stringify({
      errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }],
    }),
  },
};

export function sendBodyProblem(res: ServerResponse, problem: BodyProblem): void {
  const { status, body } = ANSWERS[problem];
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** body-parser's failures, as the lane answers them. */
export const bodyErrors: ErrorRequestHandler = (err: { type?: string } | null | undefined, _req, res, next) => {
  if (err?.type === 'entity.too.large') sendBodyProblem(res, 'too-large');
  else if (err?.type === 'entity.parse.failed') sendBodyProblem(res, 'not-json');
  else next(err);
};
