/** `sibantong-hub device enroll|revoke|list` */
import { parseArgs } from 'node:util';
import { createEnrolmentCode, listDevices, revokeDevice } from '../auth/devices.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

const USAGE = `用法：
  sibantong-hub device enroll --unit <单位ID> [--count <数量>]   生成一次性登记码（72 小时内有效）
  sibantong-hub device revoke <设备ID>                           停用设备，下一次请求即生效
  sibantong-hub device list`;

export async function deviceCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { unit: { type: 'string' }, count: { type: 'string' } },
  });
  switch (sub) {
    case 'enroll': {
      const count = Number(values.count ?? '1');
      if (!values.unit || !Number.isInteger(count) || count < 1 || count > 500) {
        console.error(USAGE);
        return 2;
      }
      const unit = values.unit;
      return withStore(async (store) => {
        const codes: { code: string; expiresAt: string }[] = [];
        for (let i = 0; i < count; i += 1) codes.push(await createEnrolmentCode(store, unit));
        emit(
          json,
          { unit, codes },
          codes.map((c) => `登记码 ${c.code}（单位 ${unit}，有效期至 ${c.expiresAt}）`).join('\n'),
        );
        return 0;
      });
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id) {
        console.error(USAGE);
        return 2;
      }
      return withStore(async (store) => {
        await revokeDevice(store, id);
        emit(json, { deviceId: id, revoked: true }, `已停用设备 ${id}`);
        return 0;
      });
    }
    case 'list':
      return withStore(async (store) => {
        const devices = await listDevices(store);
        emit(
          json,
          {
            devices: devices.map((d) => ({
              deviceId: d.deviceId,
              name: d.name,
              orgUnitId: d.orgUnitId,
              revokedAt: d.revokedAt,
            })),
          },
          devices
            .map(
              (d) => `${d.deviceId}\t${d.orgUnitId}\t${d.name}\t${d.revokedAt ? '已停用' : '在用'}`,
            )
            .join('\n') || '（无设备）',
        );
        return 0;
      });
    default:
      console.error(USAGE);
      return 2;
  }
}
