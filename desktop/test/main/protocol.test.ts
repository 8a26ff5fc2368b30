import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeType, resolveAppPath } from '../../src/main/protocol';

const root = path.resolve('/opt/sibantong/renderer');
const table: Array<[string, string | null]> = [
  ['app://sibantong/index.html', 'index.html'],
  ['app://sibantong/', 'index.html'],
  ['app://sibantong', 'index.html'],
  ['app://sibantong/cases/123', 'index.html'],
  ['app://sibantong/assets/index-abc.js', 'assets/index-abc.js'],
  ['app://sibantong/assets/%E5%9B%9B.png', 'assets/四.png'],
  ['app://sibantong/../../etc/passwd', 'index.html'], // URL parsing already removes dot segments
  ['app://sibantong/assets/..%2F..%2Fmain/index.js', null],
  ['app://sibantong/%2e%2e/%2e%2e/etc/passwd', 'index.html'],
  ['app://sibantong/assets/%2e%2e%5c..%5csecret.txt', null],
  ['app://sibantong/a%00.js', null],
  ['app://other/index.html', null],
  ['app://sibantong:99/index.html', null],
  ['file:///etc/passwd', null],
  ['https://sibantong/index.html', null],
  ['garbage', null],
];

describe('app:// path resolution', () => {
  for (const [url, want] of table) {
    it(`${url} → ${want ?? 'refused'}`, () => {
      const got = resolveAppPath(url, root);
      expect(got).toBe(want === null ? null : path.join(root, want));
      if (got) expect(got.startsWith(root + path.sep)).toBe(true);
    });
  }
  it('knows the types it serves', () => {
    expect(mimeType('a.js')).toContain('javascript');
    expect(mimeType('index.html')).toContain('text/html');
    expect(mimeType('x.unknown')).toBe('application/octet-stream');
  });
});

describe('app:// responses', () => {
  it('serves files with CSP and type, 404 for the rest, never outside the root', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const { appProtocolResponse } = await import('../../src/main/protocol');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbt-renderer-'));
    const rootDir = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(rootDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rootDir, 'index.html'), '<!doctype html><title>四办通</title>');
    fs.writeFileSync(path.join(rootDir, 'assets', 'a.js'), 'export {}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    try {
      const index = await appProtocolResponse(
        { url: 'app://sibantong/cases/7', method: 'GET' },
        rootDir,
        'csp-x',
      );
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toBe('csp-x');
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('四办通');
      const js = await appProtocolResponse(
        { url: 'app://sibantong/assets/a.js', method: 'GET' },
        rootDir,
        'c',
      );
      expect(js.headers.get('content-type')).toContain('javascript');
      for (const url of [
        'app://sibantong/assets/missing.js',
        'app://sibantong/assets/..%2F..%2Fsecret.txt',
        'app://other/index.html',
      ]) {
        const r = await appProtocolResponse({ url, method: 'GET' }, rootDir, 'c');
        expect(r.status, url).toBe(404);
        expect(await r.text()).not.toContain('secret');
      }
      expect(
        (
          await appProtocolResponse(
            { url: 'app://sibantong/index.html', method: 'POST' },
            rootDir,
            'c',
          )
        ).status,
      ).toBe(404);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
