/**
 * Table-driven, like Actual Budget's: every URL × every way a page can try to leave the app.
 * Nothing but app://sibantong may load in the window; only allow-listed https pages reach the
 * system browser, whichever way they were opened.
 */
import { describe, expect, it } from 'vitest';
import {
  EXTERNAL_ALLOW_LIST,
  decideWindowOpen,
  installNavigationGuard,
  isAllowedExternal,
  isAllowedNavigation,
} from '../../src/main/navigationGuard';
import { FakeEvent, FakeShell, FakeWebContents, silentLog } from './fakes';

type Expect = { inApp: boolean; external: boolean };
const URLS: Array<[string, Expect]> = [
  ['app://sibantong/index.html', { inApp: true, external: false }],
  ['app://sibantong/cases/123', { inApp: true, external: false }],
  ['app://sibantong', { inApp: true, external: false }],
  ['app://evil/index.html', { inApp: false, external: false }],
  ['app://sibantong.evil.cn/index.html', { inApp: false, external: false }],
  ['app://user:pw@sibantong/index.html', { inApp: false, external: false }],
  ['app://sibantong:8080/index.html', { inApp: false, external: false }],
  ['https://www.gov.cn/', { inApp: false, external: true }],
  ['https://www.gov.cn/zhengce/index.htm', { inApp: false, external: true }],
  ['https://zwfw.gov.cn/', { inApp: false, external: true }],
  ['https://WWW.GOV.CN/', { inApp: false, external: true }],
  ['http://www.gov.cn/', { inApp: false, external: false }],
  ['https://www.gov.cn:8443/', { inApp: false, external: false }],
  ['https://user@www.gov.cn/', { inApp: false, external: false }],
  ['https://www.gov.cn.evil.com/', { inApp: false, external: false }],
  ['https://evil.com/?u=https://www.gov.cn/', { inApp: false, external: false }],
  ['https://evilwww.gov.cn/', { inApp: false, external: false }],
  ['https://example.com/', { inApp: false, external: false }],
  ['http://127.0.0.1:8787/', { inApp: false, external: false }],
  ['http://localhost:5173/', { inApp: false, external: false }],
  ['file:///etc/passwd', { inApp: false, external: false }],
  ['file:///C:/Windows/System32/cmd.exe', { inApp: false, external: false }],
  ['javascript:alert(1)', { inApp: false, external: false }],
  ['data:text/html,<script>alert(1)</script>', { inApp: false, external: false }],
  ['blob:app://sibantong/1234', { inApp: false, external: false }],
  ['about:blank', { inApp: false, external: false }],
  ['chrome://settings', { inApp: false, external: false }],
  ['devtools://devtools/bundled/inspector.html', { inApp: false, external: false }],
  ['mailto:it@county.gov.cn', { inApp: false, external: false }],
  ['smb://fileserver/share', { inApp: false, external: false }],
  ['ms-msdt:/id PCWDiagnostic', { inApp: false, external: false }],
  ['', { inApp: false, external: false }],
  ['not a url', { inApp: false, external: false }],
];

const WAYS = ['will-navigate', 'will-redirect', 'window.open', 'shell.openExternal'] as const;

function attempt(way: (typeof WAYS)[number], url: string) {
  const contents = new FakeWebContents();
  const shell = new FakeShell();
  installNavigationGuard(contents as never, shell, silentLog);
  let loadedInApp: boolean;
  if (way === 'will-navigate' || way === 'will-redirect') {
    const e = new FakeEvent(url);
    contents.emit(way, e, url);
    loadedInApp = !e.defaultPrevented;
  } else if (way === 'window.open') {
    loadedInApp = contents.openHandler!({ url }).action === 'allow';
  } else {
    // the app's own external-link helper calls openExternal only through this check
    if (isAllowedExternal(url)) void shell.openExternal(url);
    loadedInApp = false;
  }
  return { loadedInApp, openedExternally: shell.opened.includes(url) };
}

describe('navigation guard: every URL × every way to open it', () => {
  for (const [url, want] of URLS) {
    for (const way of WAYS) {
      it(`${way} ${JSON.stringify(url)} → ${want.inApp ? 'stays in app' : want.external ? 'system browser' : 'refused'}`, () => {
        const r = attempt(way, url);
        // window.open never creates a window, and openExternal never loads in-app
        const expectInApp = want.inApp && (way === 'will-navigate' || way === 'will-redirect');
        expect(r.loadedInApp).toBe(expectInApp);
        expect(r.openedExternally).toBe(want.external);
      });
    }
  }

  it('pure decisions agree with the table', () => {
    for (const [url, want] of URLS) {
      expect(isAllowedNavigation(url), url).toBe(want.inApp);
      expect(isAllowedExternal(url), url).toBe(want.external);
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: want.external });
    }
  });

  it('refuses sub-frame navigation and <webview>', () => {
    const contents = new FakeWebContents();
    installNavigationGuard(contents as never, new FakeShell(), silentLog);
    const frame = new FakeEvent('https://example.com/');
    contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
    const own = new FakeEvent('app://sibantong/print.html');
    contents.emit('will-frame-navigate', own);
    expect(own.defaultPrevented).toBe(false);
    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('allow-list holds only https government hosts', () => {
    for (const host of EXTERNAL_ALLOW_LIST) expect(host).toMatch(/gov\.cn$/);
  });
});
