/** `sibantong-hub device enroll|revoke|list` */
import { deviceRows, enrolCodes } from '../admin/itConsole.js';
import type { StoredDeviceReport } from '@sibantong/shared/it/deviceReport';
import { revokeDevice } from '../auth/devices.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exitCodes.js';
import { DEVICE_USAGE } from './help.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

function usage(problem?: string): number {
  console.error(problem ? `${problem}\n\n${DEVICE_USAGE}` : DEVICE_USAGE);
  return EXIT.USAGE;
}

/** The PC's latest report in the list's words. */
function reportText(r: StoredDeviceReport | null): string {
  if (!r) return '版本 未报告\t待上传 未报告';
  return `版本 ${r.appVersion ?? '未报告'}\t待上传 ${r.pendingUploads}（${r.reportedAt}）`;
}

export async function deviceCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = parseCommandArgs(rest, { unit: { type: 'string' }, count: { type: 'string' } });
  if (!parsed.ok) return usage(parsed.problem);
  const { values, positionals } = parsed;
  switch (sub) {
    case 'enroll': {
      const count = Number(values.count ?? '1');
      if (!values.unit) return usage('缺少 --unit <单位ID>');
      if (!Number.isInteger(count) || count < 1 || count > 500) {
        return usage('--count 须为 1 到 500 之间的整数');
      }
      const unit = values.unit;
      return withStore(async (store) => {
        // Checks the unit before any code exists: a typo must not produce a PC "at" a unit
        // that does not exist.
        const codes = (await enrolCodes(store, unit, count)).map(({ code, expiresAt }) => ({
          code,
          expiresAt,
        }));
        emit(
          json,
          { unit, codes },
          codes.map((c) => `登记码 ${c.code}（单位 ${unit}，有效期至 ${c.expiresAt}）`).join('\n'),
        );
        return EXIT.OK;
      });
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id) return usage('缺少 <设备ID>（见 device list）');
      return withStore(async (store) => {
        await revokeDevice(store, id);
        emit(json, { deviceId: id, revoked: true }, `已停用设备 ${id}`);
        return EXIT.OK;
      });
    }
    case 'list':
      return withStore(async (store) => {
        const devices = await deviceRows(store);
        emit(
          json,
          {
            devices: devices.map((d) => ({
              deviceId: d.deviceId,
              name: d.name,
              orgUnitId: d.orgUnitId,
              revokedAt: d.revokedAt,
              lastSeenAt: d.lastSeenAt,
              report: d.report,
            })),
          },
          devices
            .map(
              (d) =>
                `${d.deviceId}\t${d.orgUnitId}\t${d.name}\t${d.revokedAt ? '已停用' : '在用'}\t最近登录 ${d.lastSeenAt ?? '从未'}\t${reportText(d.report)}`,
            )
            .join('\n') || '（无设备）',
        );
        return EXIT.OK;
      });
    default:
      return usage(sub ? `未知的子命令：${sub}` : undefined);
  }
}
