import Nano from 'nano';
import type { ServerScope } from 'nano';

/**
 * nano client for a base URL that may carry `user:pass@` credentials. Uncompressed answers:
 * nano asks for gzip by default, and the embedded store (express-pouchdb) then compresses every
 * answer on loopback, costing CPU at both ends for nothing; CouchDB does not compress anyway.
 */
export function nanoFor(url: string): ServerScope {
  // The exact spelling nano uses, so that this replaces its default instead of adding to it.
  return Nano({ url, headers: { 'Accept-Encoding': 'identity' } });
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
