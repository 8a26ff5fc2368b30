import { describe, expect, it } from 'vitest';
import { buildCsp, securityHeaders } from '../../src/main/csp';
import { isAllowedPermission } from '../../src/main/permissions';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [k, ...v] = d.trim().split(/\s+/);
      return [k!, v];
    }),
  );
}

describe('Content-Security-Policy', () => {
  const d = directives(buildCsp());
  it('allows scripts from the app only: no inline, no eval, no remote', () => {
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(buildCsp()).not.toContain('unsafe-eval');
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });
  it('denies by default, no plugins, frames, base or forms', () => {
    expect(d.get('default-src')).toEqual(["'none'"]);
    for (const k of [
      'object-src',
      'frame-src',
      'child-src',
      'frame-ancestors',
      'base-uri',
      'form-action',
    ]) {
      expect(d.get(k), k).toEqual(["'none'"]);
    }
  });
  it('connects to https hubs and loopback only; plain http to a LAN host only when IT allowed it', () => {
    const c = d.get('connect-src')!;
    expect(c).toContain('https:');
    expect(c).toContain('http://127.0.0.1:*');
    expect(c).not.toContain('http:');
    expect(c).not.toContain('*');
    const pilot = directives(buildCsp({ insecureHubOrigin: 'http://10.1.2.3:8787' })).get(
      'connect-src',
    )!;
    expect(pilot).toContain('http://10.1.2.3:8787');
    expect(() => buildCsp({ insecureHubOrigin: 'https://x' })).toThrow();
  });
  it('ships with the other security headers', () => {
    expect(securityHeaders('x')).toMatchObject({
      'Content-Security-Policy': 'x',
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

describe('permission requests', () => {
  const table: Array<[string, string | undefined, boolean]> = [
    // The camera, to photograph a material (docs/materials.md); only for the app page.
    ['media', 'app://sibantong/index.html', true],
    ['media', 'https://evil.example/', false],
    ['geolocation', 'app://sibantong/index.html', false],
    ['notifications', 'app://sibantong/index.html', true],
    ['notifications', 'https://evil.example/', false],
    ['openExternal', 'app://sibantong/index.html', false],
    ['hid', 'app://sibantong', false],
    ['clipboard-read', 'app://sibantong', false],
    ['clipboard-sanitized-write', 'app://sibantong', true],
    ['clipboard-sanitized-write', 'https://evil.example/', false],
    ['clipboard-sanitized-write', undefined, false],
  ];
  for (const [perm, url, ok] of table) {
    it(`${perm} from ${String(url)} → ${ok ? 'granted' : 'denied'}`, () => {
      expect(isAllowedPermission(perm, url)).toBe(ok);
    });
  }
});
