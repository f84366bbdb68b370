/** Bad user input: the CLI prints the message alone and exits with code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A result could not be written (disk full, read-only, I/O error): exit code 1, one line. */
export class WriteError extends Error {
  override readonly name = 'WriteError';
}
