/** `sibantong-hub user add|disable|enable|reset-password` */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { addUser, disableUser, enableUser, isRole, resetPassword } from '../auth/users.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

const USAGE = `用法：
  sibantong-hub user add <用户名> --name <姓名> --role <角色> --unit <单位ID> [--password <密码>]
  sibantong-hub user disable <用户名>
  sibantong-hub user enable <用户名>
  sibantong-hub user reset-password <用户名> [--password <密码>]
角色：village_helper town_lead centre_agent dept_assistant supervisor it_admin
不给 --password 时生成一个随机密码并显示一次。`;

function generatedPassword(): string {
  return `Sbt-${randomBytes(9).toString('base64url')}`;
}

export async function userCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const username = positionals[0];
  if (!sub || !username) {
    console.error(USAGE);
    return 2;
  }
  switch (sub) {
    case 'add': {
      const { name, role, unit } = values;
      if (!name || !role || !unit || !isRole(role)) {
        console.error(USAGE);
        return 2;
      }
      const password = values.password ?? generatedPassword();
      return withStore(async (store) => {
        const r = await addUser(store, { username, name, role, orgUnitId: unit, password });
        if (r === 'exists') {
          console.error(`用户已存在：${username}`);
          return 1;
        }
        emit(
          json,
          { username, password: values.password ? undefined : password },
          values.password
            ? `已创建用户 ${username}`
            : `已创建用户 ${username}，初始密码：${password}`,
        );
        return 0;
      });
    }
    case 'disable':
      return withStore(async (store) => {
        await disableUser(store, username);
        emit(json, { username, disabled: true }, `已停用用户 ${username}，其所有登录已失效`);
        return 0;
      });
    case 'enable':
      return withStore(async (store) => {
        await enableUser(store, username);
        emit(json, { username, disabled: false }, `已启用用户 ${username}`);
        return 0;
      });
    case 'reset-password': {
      const password = values.password ?? generatedPassword();
      return withStore(async (store) => {
        await resetPassword(store, username, password);
        emit(
          json,
          { username, password: values.password ? undefined : password },
          values.password
            ? `已重置 ${username} 的密码并解除锁定`
            : `已重置 ${username} 的密码并解除锁定，新密码：${password}`,
        );
        return 0;
      });
    }
    default:
      console.error(USAGE);
      return 2;
  }
}
