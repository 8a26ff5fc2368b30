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

/**
 * Resolves once the store at `url()` answers (its version), or rejects with the last error after
 * `timeoutMs`. `url` is read on every try: the embedded store may come back on another port.
 */
export async function waitForStore(
  url: () => string,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetchVersion(url());
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
