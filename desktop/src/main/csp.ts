/**
 * The renderer's Content-Security-Policy. Scripts only from the app itself (no inline, no
 * eval), no plugins, no frames, no remote content. Connections go to the county hub: any
 * https origin (the hub address is typed in at enrolment, so it cannot be baked in), plain
 * http only to loopback, plus an http hub origin that IT explicitly allowed for a pilot.
 * antd injects its CSS-in-JS <style> elements at run time, hence 'unsafe-inline' for styles
 * only.
 */
export interface CspOptions {
  /** An http:// hub origin IT allowed for a pilot (settings.allowInsecureHub). */
  insecureHubOrigin?: string | null;
}

export function buildCsp(opts: CspOptions = {}): string {
  const connect = ["'self'", 'https:', 'wss:', 'http://127.0.0.1:*', 'http://localhost:*'];
  if (opts.insecureHubOrigin) {
    const u = new URL(opts.insecureHubOrigin);
    if (u.protocol !== 'http:') throw new Error('insecureHubOrigin must be an http:// origin');
    connect.push(u.origin, u.origin.replace(/^http:/, 'ws:'));
  }
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    ['worker-src', ["'self'", 'blob:']],
    ['media-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['child-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** Extra response headers for every app:// response. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
