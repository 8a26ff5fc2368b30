import { describe, expect, it } from 'vitest';
import { checkHubAddress } from '../../src/renderer/features/settings/hubAddress';

const enrolled = { hubUrl: 'https://hub.sx.gov.cn:8787', allowInsecure: false };

describe('changing the hub address in Settings', () => {
  it('accepts an https address and normalises it to its origin', () => {
    expect(checkHubAddress(' https://new-hub.sx.gov.cn:8443/ ', enrolled)).toEqual({
      ok: true,
      url: 'https://new-hub.sx.gov.cn:8443',
    });
  });

  it('refuses plain http to another machine unless IT allowed it at enrolment', () => {
    const r = checkHubAddress('http://10.1.2.3:8787', enrolled);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('https');
    expect(checkHubAddress('http://10.1.2.3:8787', { ...enrolled, allowInsecure: true }).ok).toBe(
      true,
    );
    // This PC itself (a test or training hub) may use http.
    expect(checkHubAddress('localhost:8787', enrolled)).toEqual({
      ok: true,
      url: 'http://localhost:8787',
    });
  });

  it('says what is wrong with an address that is not one, or unchanged', () => {
    const bad = checkHubAddress('中心 服务器', enrolled);
    expect(!bad.ok && bad.message).toContain('请输入正确的中心服务器地址');
    const same = checkHubAddress('https://hub.sx.gov.cn:8787/', enrolled);
    expect(!same.ok && same.message).toContain('相同');
  });
});
