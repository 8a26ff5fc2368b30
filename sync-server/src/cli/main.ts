/** Entry point of the `sibantong-hub` command. */
import { keysCommand } from '../atRest/keysCommand.js';
import { loadConfig } from '../config.js';
import { runReleaseCli } from '../releases/index.js';
import { calendarCommand } from './calendar.js';
import { deviceCommand } from './device.js';
import { seedDemo } from './seedDemo.js';
import { serve } from './serve.js';
import { userCommand } from './user.js';

const USAGE = `四办通县级枢纽 sibantong-hub

命令：
  serve                                   启动枢纽
  seed-demo                               写入演示县、事项目录、日历和演示账号
  user add|disable|enable|reset-password  管理用户
  device enroll|revoke|list               设备登记与停用
  calendar import <文件>                  导入年度放假调休安排
  keys rotate|status                      更换数据加密密钥（重新加密已存数据）
  release ...                             更新源管理

环境变量：HUB_PORT（默认 8787）HUB_DATA_DIR（默认 ./.hub-data）COUCHDB_URL HUB_TLS_CERT HUB_TLS_KEY
加 --json 输出机器可读结果。`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const [command, ...rest] = args;
  switch (command) {
    case 'serve':
      return serve();
    case 'seed-demo':
      return seedDemo(json);
    case 'user':
      return userCommand(rest, json);
    case 'device':
      return deviceCommand(rest, json);
    case 'calendar':
      return calendarCommand(rest, json);
    case 'keys':
      return keysCommand(rest, json);
    case 'release':
      return runReleaseCli(rest, { dataDir: loadConfig().dataDir });
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`未知命令：${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
