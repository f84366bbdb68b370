// Errors a source raises. The CLI maps them to exit code 1 (runtime failure) with a one-line
// message; user input errors are InputError (exit 2) and never come from here.

export class SourceError extends Error {
  override readonly name: string = 'SourceError';
  constructor(
    message: string,
    /** The resource path that failed, e.g. "/tx/<txid>/outspends". */
    readonly resource: string,
    /** The HTTP status behind the failure, when there was one (401, 429, 503...). */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The explorer says the thing does not exist (404 "Transaction not found"). Not retried. */
export class NotFoundError extends SourceError {
  override readonly name = 'NotFoundError';
}

/** The explorer rejected the request as invalid (400). Not retried. */
export class BadRequestError extends SourceError {
  override readonly name = 'BadRequestError';
}

/** Retries ran out (429, 5xx, timeouts, connection errors, malformed bodies). */
export class UnavailableError extends SourceError {
  override readonly name = 'UnavailableError';
}

/** An offline recording has no answer for this resource. */
export class NotRecordedError extends SourceError {
  override readonly name = 'NotRecordedError';
}

/** The explorer's data contradicts itself or the raw transaction (txid verification). */
export class IntegrityError extends SourceError {
  override readonly name = 'IntegrityError';
}
