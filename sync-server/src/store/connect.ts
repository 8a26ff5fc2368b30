import Nano from 'nano';
import type { ServerScope } from 'nano';

/** nano client for a base URL that may carry `user:pass@` credentials. */
export function nanoFor(url: string): ServerScope {
  return Nano({ url });
}

export async function fetchVersion(url: string): Promise<string> {
  const info = (await nanoFor(url).info()) as unknown as Record<string, unknown>;
  const v = info.version;
  return typeof v === 'string' ? v : 'unknown';
}
