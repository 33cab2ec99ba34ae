// A request id on every request (x-request-id in, or a new one) and one structured log line per
// request when it ends. Headers are never logged: they carry API keys.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../infra/logger';

const GOOD_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Gives a request its id, echoes it, and logs the request when its response ends (at info level). */
export function trackRequest(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  operationOf: () => unknown,
): string {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && GOOD_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  if (logger.isLevelEnabled('info')) {
    const started = process.hrtime.bigint();
    // Read now: routers rewrite req.url while the request passes through them.
    const path = (req.url ?? '').split('?')[0];
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(ms * 100) / 100,
          operation: operationOf(),
        },
        'request',
      );
    });
  }
  return requestId;
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = trackRequest(logger, req, res, () => res.locals.operation);
    next();
  };
}
