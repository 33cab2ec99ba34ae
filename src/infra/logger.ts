import pino, { type Logger } from 'pino';
import type { Config } from '../config/config';

export type { Logger };

/** Structured JSON logs; credentials are redacted wherever they appear as fields. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'recs'): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: [
        '*.password',
        '*.accessToken',
        '*.webhookSecret',
        '*.apiKey',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
      ],
      censor: '***',
    },
  });
}
