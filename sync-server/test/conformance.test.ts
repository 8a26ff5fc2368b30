/**
 * CouchDB conformance. Every hub suite (hubApi, forgedPushes, workflow, concurrency) runs on
 * the embedded store and, whenever COUCHDB_URL points at a real CouchDB 3, again on it (see
 * storeModes()). This file makes the outcome impossible to miss in the test output.
 */
import { describe, expect, it } from 'vitest';
import { COUCHDB_URL } from './helpers/hubProcess.js';

const banner = (lines: string[]) => {
  const width = Math.max(...lines.map((l) => l.length)) + 6;
  const bar = '!'.repeat(width);
  return [bar, ...lines.map((l) => `!! ${l.padEnd(width - 6)} !!`), bar].join('\n');
};

describe('CouchDB conformance', () => {
  if (!COUCHDB_URL) {
    console.warn(
      banner([
        'SKIPPED: CouchDB conformance suite did NOT run.',
        'COUCHDB_URL is not set, so the hub suites ran on the embedded store only.',
        'Run with COUCHDB_URL=http://admin:secret@host:5984 to check a real CouchDB 3.',
      ]),
    );
    it.skip('runs the hub suites against COUCHDB_URL (not set: skipped)', () => undefined);
    return;
  }

  it('has a reachable CouchDB 3 at COUCHDB_URL', async () => {
    const url = new URL(COUCHDB_URL);
    const auth = url.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : '';
    url.username = '';
    url.password = '';
    const res = await fetch(url, { headers: auth ? { authorization: auth } : {} });
    const body = (await res.json()) as { couchdb?: string; version?: string };
    expect(body.couchdb).toBe('Welcome');
    expect(body.version?.startsWith('3.')).toBe(true);
    console.warn(banner([`CouchDB ${body.version} at ${url.host}: hub suites ran on it as well.`]));
  });
});
