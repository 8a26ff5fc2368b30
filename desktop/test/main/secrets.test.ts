/**
 * The main process's secret store (Electron safeStorage): what seals the device secret, the
 * refresh tokens and the offline-login record key in the renderer (docs/security-model.md).
 */
import { describe, expect, it } from 'vitest';
import type { SafeStorage } from 'electron';
import { createSecretStore } from '../../src/main/secrets';
import type { Logger } from '../../src/main/logger';

function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}) {
  const storage = {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    // A stand-in for the OS: reversible, but not the plain text.
    encryptString: (plain: string) => Buffer.from(`sealed:${plain}`).map((b) => b ^ 0x5a),
    decryptString: (buf: Buffer) =>
      Buffer.from(buf.map((b) => b ^ 0x5a))
        .toString()
        .replace(/^sealed:/, ''),
  };
  return storage as unknown as SafeStorage;
}

function logger() {
  const warnings: string[] = [];
  const log = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => void warnings.push(m),
    error: () => undefined,
    file: '',
  };
  return log as Logger & { warnings: string[] };
}

describe('secret store (safeStorage)', () => {
  it('seals through the OS keystore and opens what it sealed', () => {
    const store = createSecretStore(fakeSafeStorage(), logger(), 'win32');
    const sealed = store.protect('device-secret-123');
    expect(sealed).not.toContain('device-secret-123');
    expect(Buffer.from(sealed, 'base64').toString()).not.toContain('device-secret-123');
    expect(store.unprotect(sealed)).toBe('device-secret-123');
  });

  it('refuses to seal when the OS keystore is unavailable, in Chinese', () => {
    const store = createSecretStore(fakeSafeStorage({ available: false }), logger(), 'win32');
    expect(() => store.protect('x')).toThrow(/SECRET_STORAGE_UNAVAILABLE: .*系统密钥存储不可用/);
    expect(() => store.unprotect('eA==')).toThrow(/SECRET_STORAGE_UNAVAILABLE/);
  });

  it('refuses anything but a string from the renderer', () => {
    const store = createSecretStore(fakeSafeStorage(), logger(), 'win32');
    expect(() => store.protect(42 as unknown as string)).toThrow(/SECRET_INVALID/);
  });

  it('warns when Linux has no keyring (safeStorage falls back to a fixed key)', () => {
    const log = logger();
    createSecretStore(fakeSafeStorage({ backend: 'basic_text' }), log, 'linux').protect('x');
    expect(log.warnings.join('\n')).toContain('basic_text');
  });
});
