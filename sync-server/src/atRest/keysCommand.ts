/**
 * `sibantong-hub keys rotate|status` — the data key that seals citizens' data at rest.
 *
 * rotate: a new key becomes current, every stored document sealed with an older key (or
 * still plaintext) is re-sealed with it, and only when a final pass finds none left are the
 * old keys dropped from secrets/at-rest-keys.json. Safe next to a running hub: the hub re-reads
 * the key file within a second and writes with the new key from then on.
 */
import { emit } from '../cli/output.js';
import { withStore } from '../cli/withStore.js';
import { GuardedStore } from '../store/guardedStore.js';
import { compactSealed, resealAll, writeMarker } from './resealStored.js';

const USAGE = `用法：
  sibantong-hub keys rotate   更换数据加密密钥并用新密钥重新加密全部已存数据
  sibantong-hub keys status   显示当前密钥编号`;

/** Longer than the hub's key-file check interval (Keyring: once a second). */
const HUB_NOTICE_MS = 1500;

export async function keysCommand(argv: string[], json: boolean): Promise<number> {
  const [sub] = argv;
  if (sub !== 'rotate' && sub !== 'status') {
    console.error(USAGE);
    return 2;
  }
  return withStore(async (store) => {
    if (!(store instanceof GuardedStore)) throw new Error('store guard missing');
    const keyring = store.keyring;
    if (sub === 'status') {
      const current = keyring.current().kid;
      emit(
        json,
        { current, keys: keyring.kids() },
        `当前数据密钥：${current}（共 ${keyring.kids().length} 个）`,
      );
      return 0;
    }
    const kid = keyring.rotate();
    await new Promise((r) => setTimeout(r, HUB_NOTICE_MS));
    const report = await resealAll(store);
    let retired: string[] = [];
    if (report.remaining === 0) {
      retired = keyring.retireOld();
      await writeMarker(store, kid);
      await compactSealed(store);
    }
    emit(
      json,
      { current: kid, resealed: report.resealed, remaining: report.remaining, retired },
      report.remaining === 0
        ? `已启用新数据密钥 ${kid}，重新加密 ${report.resealed} 份文档，旧密钥 ${retired.join('、') || '无'} 已删除`
        : `已启用新数据密钥 ${kid}，但仍有 ${report.remaining} 份文档未能重新加密（写入冲突），旧密钥保留；请稍后再次运行 keys rotate`,
    );
    return report.remaining === 0 ? 0 : 1;
  });
}
