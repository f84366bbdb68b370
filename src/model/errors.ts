/** Bad user input: the CLI prints the message alone and exits with code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
