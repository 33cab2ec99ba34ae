import { RecsError } from '../errors/recs-error';

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Bad configuration: the message names every offending environment variable. */
export class ConfigError extends RecsError {
  readonly code = 'CONFIG_INVALID';
  readonly permanent = true;

  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
