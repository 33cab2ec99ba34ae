import { RecsError } from '../errors/recs-error';

/** Redis is down, so an operation that must reach the hot layer itself (clearing it) cannot run. */
export class HotLayerUnavailableError extends RecsError {
  readonly code = 'HOT_LAYER_UNAVAILABLE';
  readonly permanent = false;

  constructor(message: string) {
    super(message);
    this.name = 'HotLayerUnavailableError';
  }
}
