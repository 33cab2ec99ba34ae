// The mistakes an experiment request can make, each with the field it concerns, so the GraphQL
// layer answers them as userErrors and the CLI prints them.
import { RecsError } from '../errors/recs-error';

export type ExperimentErrorCode = 'INVALID' | 'NOT_FOUND' | 'INVALID_TRANSITION' | 'SURFACE_BUSY' | 'GUARDRAIL_FAILED';

export class ExperimentError extends RecsError {
  readonly code: string;
  readonly permanent = true;

  constructor(
    readonly reason: ExperimentErrorCode,
    message: string,
    readonly field: string[] | null = null,
  ) {
    super(message);
    this.code = `EXPERIMENT_${reason}`;
  }
}
