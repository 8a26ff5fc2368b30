/** An HTTP refusal with a stable code and a Chinese message (shape: shared ApiError). */
export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageZh: string,
  ) {
    super(`${code}: ${messageZh}`);
    this.name = 'ApiHttpError';
  }
}

export const unauthorized = (code: string, messageZh: string) =>
  new ApiHttpError(401, code, messageZh);
export const forbidden = (code: string, messageZh: string) =>
  new ApiHttpError(403, code, messageZh);
export const badRequest = (code: string, messageZh: string) =>
  new ApiHttpError(400, code, messageZh);
