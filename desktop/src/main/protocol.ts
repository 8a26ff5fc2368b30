/**
 * app://sibantong serves the built renderer (desktop/out/renderer) instead of file://: a real
 * origin for CSP, IndexedDB and the IPC sender check, and no access to the rest of the disk.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, parseUrl } from './origin';
import { securityHeaders } from './csp';

/** Must run before app 'ready'. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        allowServiceWorkers: false,
        corsEnabled: false,
        stream: true,
        codeCache: true,
      },
    },
  ]);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps app://sibantong/<path> to a file under root, or null. Paths without an extension fall
 * back to index.html (client-side routes); anything escaping root, another host or scheme,
 * or encoded separators is refused.
 */
export function resolveAppPath(url: string, root: string): string | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.hostname !== APP_HOST || u.port !== '')
    return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\') || /%2f|%5c/i.test(u.pathname))
    return null;
  const segments = pathname.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments.length === 0 || path.extname(segments.at(-1)!) === '')
    segments.splice(0, segments.length, 'index.html');
  const absRoot = path.resolve(root);
  const file = path.resolve(absRoot, ...segments);
  if (file !== absRoot && !file.startsWith(absRoot + path.sep)) return null;
  return file;
}

/**
 * Answers one app:// request: the file's bytes with the security headers, or 404. Reads with
 * fs rather than net.fetch(file://), so it does not depend on file:// privileges (the
 * grantFileProtocolExtraPrivileges fuse is off). Testable without Electron.
 */
export async function appProtocolResponse(
  request: { url: string; method: string },
  rendererRoot: string,
  csp: string,
): Promise<Response> {
  const file = resolveAppPath(request.url, rendererRoot);
  const notFound = () =>
    new Response('Not found', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders(csp) },
    });
  if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound();
  }
  const headers = new Headers(securityHeaders(csp));
  headers.set('content-type', mimeType(file));
  headers.set('content-length', String(body.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers,
  });
}

/** Installs the app:// handler on the default session (after 'ready'). */
export function serveAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  rendererRoot: string,
  csp: () => string,
): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request, rendererRoot, csp()));
}
