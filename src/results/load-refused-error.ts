import { RecsError } from '../errors/recs-error';

/** The load guard refused a batch (too many failed lines, too little coverage): retrying loads the same files. */
export class LoadRefusedError extends RecsError {
  readonly code = 'LOAD_REFUSED';
  readonly permanent = true;

  constructor(message: string) {
    super(message);
    this.name = 'LoadRefusedError';
  }
}
