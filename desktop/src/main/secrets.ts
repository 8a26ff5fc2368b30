/**
 * protectSecret / unprotectSecret: Electron safeStorage (DPAPI on Windows, the desktop keyring
 * via libsecret/kwallet on Linux). Sealed values are base64 so the renderer can store them.
 */
import type { SafeStorage } from 'electron';
import type { Logger } from './logger';

export function createSecretStore(
  safeStorage: SafeStorage,
  log: Logger,
  platform = process.platform,
) {
  const check = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error(
        'SECRET_STORAGE_UNAVAILABLE: 本机的系统密钥存储不可用，无法安全保存设备密钥。',
      );
    }
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      log.warn('safeStorage: no desktop keyring; Electron falls back to a fixed key (basic_text)');
    }
  };
  return {
    protect(plain: string): string {
      if (typeof plain !== 'string') throw new Error('SECRET_INVALID: 参数必须是字符串');
      check();
      return safeStorage.encryptString(plain).toString('base64');
    },
    unprotect(sealed: string): string {
      if (typeof sealed !== 'string') throw new Error('SECRET_INVALID: 参数必须是字符串');
      check();
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    },
  };
}
