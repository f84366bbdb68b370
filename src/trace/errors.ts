/** Every seed failed to load: there is nothing to report. The CLI exits with 1. */
export class SeedsFailedError extends Error {
  override readonly name = 'SeedsFailedError';
}
