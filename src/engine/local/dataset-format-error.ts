import { RecsError } from '../../errors/recs-error';

/** A dataset file that cannot be read as the expected CSV; re-reading it will not help. */
export class DatasetFormatError extends RecsError {
  readonly code = 'DATASET_FORMAT';
  readonly permanent = true;

  constructor(message: string) {
    super(message);
    this.name = 'DatasetFormatError';
  }
}
