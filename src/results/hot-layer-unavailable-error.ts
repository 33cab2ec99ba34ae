/** Redis is down, so an operation that must reach the hot layer itself (clearing it) cannot run. */
export class HotLayerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HotLayerUnavailableError';
  }
}
