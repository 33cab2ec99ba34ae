import pino, { type Logger } from 'pino';
import type { Config } from '../config/config';
import { redactSecrets } from './log-redaction';

export type { Logger };

/** Structured JSON logs; credentials are redacted at any depth (log-redaction.ts), and in URLs. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  name = 'recs',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    // The merged object, the message and format arguments: a logged URL may carry a password too.
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactSecrets(args));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
