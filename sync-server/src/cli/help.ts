/**
 * `--help` of every command, answered centrally (exit 0) before a command runs — `serve
 * --help` must print help, not start a hub.
 */
export const MAIN_USAGE = `四办通县级枢纽 sibantong-hub

命令（每个命令都可加 --help 查看用法）：
  serve                                   启动枢纽
  seed-demo [--history]                   写入演示县、事项目录、日历和演示账号（--history：另写演示历史）
  units                                   列出本县单位及其 ID（登记设备、添加用户时使用）
  user add|disable|enable|reset-password|unlock|roam   管理用户
  device enroll|revoke|list               设备登记与停用
  calendar [status] | import <文件>        查看日历状态 / 导入年度放假调休安排
  dead-letters [list] | retry <ID>|--all  查看 / 重试失败的后台任务
  keys rotate|status                      更换数据加密密钥（重新加密已存数据）
  release ...                             更新源管理
  backup <文件> | restore <文件>           备份全部数据（枢纽运行时即可）/ 从备份恢复（须先停止枢纽）
  migrate --to <CouchDB地址>               把内置存储的全部数据复制到 CouchDB 并核对

环境变量：HUB_PORT（默认 8787）HUB_DATA_DIR（默认 ./.hub-data）COUCHDB_URL HUB_TLS_CERT HUB_TLS_KEY
  HUB_TRUSTED_PROXIES（反向代理地址，逗号分隔，如 10.0.0.5 或 10.0.0.0/24）
加 --json 输出机器可读结果。
退出码：0 成功；1 枢纽或存储出错；2 用法错误；3 输入被拒绝（单位/用户/设备不存在、密码不合规等）。`;

export const USER_USAGE = `用法：
  sibantong-hub user add <用户名> --name <姓名> --role <角色> --unit <单位ID> [--password <密码>]
  sibantong-hub user disable <用户名>          停用账号，其所有登录立即失效
  sibantong-hub user enable <用户名>
  sibantong-hub user reset-password <用户名> [--password <密码>]   重置密码并解除锁定
  sibantong-hub user unlock <用户名>           只解除锁定（密码不变）
  sibantong-hub user roam <用户名> --units <单位ID,单位ID,...>   允许该账号在这些单位的电脑上登录（--units "" 取消）
角色：village_helper town_lead centre_agent dept_assistant supervisor it_admin
单位 ID 见 sibantong-hub units。不给 --password 时生成一个随机密码并显示一次。`;

export const DEVICE_USAGE = `用法：
  sibantong-hub device enroll --unit <单位ID> [--count <数量>]   生成一次性登记码（72 小时内有效）
  sibantong-hub device revoke <设备ID>                           停用设备，下一次请求即生效
  sibantong-hub device list
单位 ID 见 sibantong-hub units；本机只接受本单位的账号登录（跨单位人员用 user roam 开通）。`;

export const DEAD_LETTERS_USAGE = `用法：
  sibantong-hub dead-letters [list]            列出未处理的后台任务失败（记录 ID、原因、尝试次数）
  sibantong-hub dead-letters retry <ID>...     排除原因后请求重试这些记录
  sibantong-hub dead-letters retry --all       请求重试全部记录
重试由正在运行后台流程的枢纽进程执行（数秒内；枢纽未运行时在下次启动时执行），结果用 list 查看。
记录 ID 不存在或已处理时拒绝（退出码 3）。`;

const HELP: Readonly<Record<string, string>> = {
  serve: `用法：sibantong-hub serve
启动枢纽（端口 HUB_PORT，数据目录 HUB_DATA_DIR，或 COUCHDB_URL 指定的 CouchDB）。
在反向代理之后运行时，把代理地址写入 HUB_TRUSTED_PROXIES，否则登录限流会把全县电脑当作同一地址。`,
  'seed-demo': `用法：sibantong-hub seed-demo [--history [--seed N] [--days D]]
写入演示县（示县）、事项目录、日历和每个角色的演示账号；已存在的数据保持不变。仅用于演示和测试。
  --history   另写入演示历史：最近 D 天（默认 120）各村各事项的办件、差评整改工单和督办记录
  --seed N    历史的随机种子（默认 2026）；同一种子同一天生成完全相同的数据`,
  units: `用法：sibantong-hub units
列出本县全部单位：ID、级别、名称、上级单位。`,
  user: USER_USAGE,
  device: DEVICE_USAGE,
  'dead-letters': DEAD_LETTERS_USAGE,
  calendar: `用法：
  sibantong-hub calendar [status]                    查看已导入的年度、下一年度提醒、暂估期限的办件数
  sibantong-hub calendar import <文件.json|.yaml>    导入或更新一个年度的放假调休安排`,
  keys: `用法：
  sibantong-hub keys rotate   更换数据加密密钥并用新密钥重新加密全部已存数据
  sibantong-hub keys status   显示当前密钥编号`,
  backup: `用法：sibantong-hub backup <备份文件>
在枢纽运行时也可执行：逐库读取全部数据（含修订号和附件）写入一个压缩文件。
文件中的公民信息仍为密文，恢复时需要 HUB_DATA_DIR/secrets/at-rest-keys.json，请另行离线保管。`,
  restore: `用法：sibantong-hub restore <备份文件>
先停止枢纽。清空本枢纽的全部数据库，再写入备份中的数据；备份不完整或密钥文件不符时拒绝且不改动任何数据。`,
  migrate: `用法：sibantong-hub migrate --to <CouchDB地址，如 https://用户:密码@db.example:6984>
把内置存储的全部数据（含修订号）复制到 CouchDB 并逐条核对。枢纽运行时可先复制一轮；
停止枢纽后再运行一次（最后一轮），然后设置 COUCHDB_URL 启动枢纽。各电脑无需重新登记。`,
  release: `用法:
  sibantong-hub release publish <文件夹> --channel stable|pilot [--rollout <0-100>]
  sibantong-hub release rollback --channel stable|pilot
  sibantong-hub release rollout --channel stable|pilot --percent <0-100>
  sibantong-hub release list [--channel stable|pilot] [--json]`,
};

/** The help text for `command` (the main usage for none or an unknown one). */
export function helpFor(command: string | undefined): string {
  return (command && HELP[command]) || MAIN_USAGE;
}

export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h') || args[0] === 'help';
}
