/** `sibantong-hub user add|disable|enable|reset-password|unlock|roam` */
import { addAccount, resetAccountPassword } from '../admin/itConsole.js';
import { requireUnits } from '../auth/units.js';
import { disableUser, enableUser, isRole, setRoamingUnits, unlockUser } from '../auth/users.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exitCodes.js';
import { USER_USAGE } from './help.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

function usage(problem?: string): number {
  console.error(problem ? `${problem}\n\n${USER_USAGE}` : USER_USAGE);
  return EXIT.USAGE;
}

export async function userCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = parseCommandArgs(rest, {
    name: { type: 'string' },
    role: { type: 'string' },
    unit: { type: 'string' },
    units: { type: 'string' },
    password: { type: 'string' },
  });
  if (!parsed.ok) return usage(parsed.problem);
  const { values, positionals } = parsed;
  const username = positionals[0];
  if (!sub) return usage();
  if (!username) return usage('缺少 <用户名>');
  switch (sub) {
    case 'add': {
      const { name, role, unit } = values;
      if (!name || !role || !unit) return usage('user add 需要 --name、--role 和 --unit');
      if (!isRole(role)) return usage(`未知角色：${role}`);
      return withStore(async (store) => {
        const { password } = await addAccount(store, {
          username,
          name,
          role,
          orgUnitId: unit,
          ...(values.password ? { password: values.password } : {}),
        });
        emit(
          json,
          { username, password: values.password ? undefined : password },
          values.password
            ? `已创建用户 ${username}`
            : `已创建用户 ${username}，初始密码：${password}`,
        );
        return EXIT.OK;
      });
    }
    case 'disable':
      return withStore(async (store) => {
        await disableUser(store, username);
        emit(json, { username, disabled: true }, `已停用用户 ${username}，其所有登录已失效`);
        return EXIT.OK;
      });
    case 'enable':
      return withStore(async (store) => {
        await enableUser(store, username);
        emit(json, { username, disabled: false }, `已启用用户 ${username}`);
        return EXIT.OK;
      });
    case 'unlock':
      return withStore(async (store) => {
        await unlockUser(store, username);
        emit(json, { username, unlocked: true }, `已解除 ${username} 的登录锁定`);
        return EXIT.OK;
      });
    case 'roam': {
      if (values.units === undefined) return usage('user roam 需要 --units <单位ID,...>');
      const units = values.units
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      return withStore(async (store) => {
        await requireUnits(store, units);
        const user = await setRoamingUnits(store, username, units);
        const list = user.roamingUnitIds ?? [];
        emit(
          json,
          { username, roamingUnitIds: list },
          list.length
            ? `${username} 现在还可以在这些单位的电脑上登录：${list.join('、')}`
            : `${username} 只能在本单位（${user.orgUnitId}）的电脑上登录`,
        );
        return EXIT.OK;
      });
    }
    case 'reset-password': {
      return withStore(async (store) => {
        const { password } = await resetAccountPassword(store, username, values.password);
        emit(
          json,
          { username, password: values.password ? undefined : password },
          values.password
            ? `已重置 ${username} 的密码并解除锁定`
            : `已重置 ${username} 的密码并解除锁定，新密码：${password}`,
        );
        return EXIT.OK;
      });
    }
    default:
      return usage(`未知的子命令：${sub}`);
  }
}
