/**
 * A refusal of what an administrator asked for (unknown unit, user or device, a password the
 * policy refuses): the CLI prints it and exits 3, an admin route answers 400 with it.
 */
export class AdminInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminInputError';
  }
}
