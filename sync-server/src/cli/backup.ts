/** `sibantong-hub backup <file>`, `restore <file>`, `migrate --to <COUCHDB_URL>` */
import path from 'node:path';
import { Keyring, keyFilePath } from '../atRest/keyring.js';
import { takeBackup } from '../backup/backup.js';
import { copyAndVerify } from '../backup/migrate.js';
import { checkBackup, restoreBackup } from '../backup/restore.js';
import { loadConfig } from '../config.js';
import { CouchStore } from '../store/couchStore.js';
import { readEndpoint } from '../store/embeddedStore.js';
import { openStore } from '../store/openStore.js';
import { provision } from '../store/provision.js';
import { statusOf } from '../store/store.js';
import type { LeaseDoc } from '../workflow/workflowDocs.js';
import { LEASE_ID } from '../workflow/workflowDocs.js';
import { parseCommandArgs } from './args.js';
import { CliRefusal, EXIT } from './exitCodes.js';
import { helpFor } from './help.js';
import { emit } from './output.js';
import { existsSync } from 'node:fs';

function usage(command: string, problem: string): number {
  console.error(`${problem}\n\n${helpFor(command)}`);
  return EXIT.USAGE;
}

const summary = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([db, n]) => `${db} ${n}`)
    .join('，');

export async function backupCommand(argv: string[], json: boolean): Promise<number> {
  const parsed = parseCommandArgs(argv, {});
  if (!parsed.ok) return usage('backup', parsed.problem);
  const file = parsed.positionals[0];
  if (!file) return usage('backup', '缺少 <备份文件>');
  const config = loadConfig();
  const target = path.resolve(file);
  const store = await openStore(config, { attachIfRunning: true });
  try {
    const counts = await takeBackup(store, target);
    emit(
      json,
      { file: target, counts, keyFile: keyFilePath(config.dataDir) },
      `已备份到 ${target}（${summary(counts)}）。\n` +
        `备份中的公民信息仍是密文；恢复时需要密钥文件 ${keyFilePath(config.dataDir)}，请另行离线保管。`,
    );
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

function alive(pid: number): boolean {
  try {
    return pid > 0 && (process.kill(pid, 0), true);
  } catch {
    return false;
  }
}

export async function restoreCommand(argv: string[], json: boolean): Promise<number> {
  const parsed = parseCommandArgs(argv, {});
  if (!parsed.ok) return usage('restore', parsed.problem);
  const file = parsed.positionals[0];
  if (!file) return usage('restore', '缺少 <备份文件>');
  const config = loadConfig();
  const source = path.resolve(file);
  if (!existsSync(source)) throw new CliRefusal(`找不到备份文件：${source}`);
  if (!existsSync(keyFilePath(config.dataDir))) {
    // Opening the store would create a new, different key: say what is missing instead.
    throw new CliRefusal(
      `缺少密钥文件 ${keyFilePath(config.dataDir)}：请先把备份时的密钥文件复制到该位置再恢复。`,
    );
  }
  const ep = readEndpoint(config.dataDir);
  if (!config.couchUrl && ep && alive(ep.supervisorPid)) {
    throw new CliRefusal('枢纽正在运行：请先停止枢纽（systemctl stop sibantong-hub）再恢复。');
  }
  const checked = await checkBackup(source, Keyring.forDataDir(config.dataDir), config.dataDir);
  const store = await openStore(config, { attachIfRunning: false });
  try {
    if (config.couchUrl) await refuseIfServing(store.server(), `${config.dbPrefix}hub`);
    const counts = await restoreBackup(store, checked);
    await provision(store);
    emit(
      json,
      { file: source, counts },
      `已从 ${source} 恢复（${summary(counts)}）。现在可以启动枢纽。`,
    );
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

/** On CouchDB another machine's hub may be serving: its workflow lease says so. */
async function refuseIfServing(server: ReturnType<CouchStore['server']>, hubDb: string) {
  try {
    const lease = (await server.request({ db: hubDb, path: LEASE_ID })) as LeaseDoc;
    if (Date.parse(lease.expiresAt) > Date.now()) {
      throw new CliRefusal(
        `有枢纽进程正在使用该 CouchDB（${lease.holder}）：请先停止所有枢纽进程再恢复。`,
      );
    }
  } catch (err) {
    if (err instanceof CliRefusal) throw err;
    if (statusOf(err) !== 404) throw err;
  }
}

export async function migrateCommand(argv: string[], json: boolean): Promise<number> {
  const parsed = parseCommandArgs(argv, { to: { type: 'string' } });
  if (!parsed.ok) return usage('migrate', parsed.problem);
  const to = parsed.values.to;
  if (!to) return usage('migrate', '缺少 --to <CouchDB 地址>');
  if (!/^https?:\/\//.test(to)) return usage('migrate', '--to 应是 http(s):// 开头的 CouchDB 地址');
  const config = loadConfig();
  if (config.couchUrl) {
    throw new CliRefusal('本枢纽已在使用 CouchDB（COUCHDB_URL 已设置），无需迁移。');
  }
  const target = new CouchStore(to, config.dbPrefix);
  try {
    await target.waitReady(10_000);
  } catch {
    throw new CliRefusal(`连不上目标 CouchDB：${to.replace(/\/\/[^@]*@/, '//')}`);
  }
  const source = await openStore(config, { attachIfRunning: true });
  try {
    const result = await copyAndVerify(source.server(), target.server(), config.dbPrefix);
    const bad = result.filter((r) => r.mismatched.length > 0);
    const ep = readEndpoint(config.dataDir);
    const running = !!ep && alive(ep.supervisorPid) && ep.supervisorPid !== process.pid;
    const lines = result.map(
      (r) =>
        `${r.db}\t${r.docs} 条\t${r.mismatched.length === 0 ? '一致' : `不一致 ${r.mismatched.length} 条`}`,
    );
    const next = bad.length
      ? running
        ? '枢纽仍在写入，以上差异属正常。停止枢纽后再运行一次本命令完成最后一轮复制和核对。'
        : '核对未通过：请检查目标 CouchDB 是否已被其他枢纽写入。'
      : running
        ? '复制完成。停止枢纽后再运行一次本命令（最后一轮），再按 IT 指南设置 COUCHDB_URL 并启动枢纽。'
        : '复制并核对完成。在枢纽的环境文件中设置 COUCHDB_URL 后启动枢纽；各电脑无需重新登记。';
    emit(
      json,
      {
        databases: result.map((r) => ({ ...r, mismatched: r.mismatched.length })),
        running,
        verified: bad.length === 0,
      },
      `${lines.join('\n')}\n${next}`,
    );
    return bad.length > 0 && !running ? EXIT.FAILED : EXIT.OK;
  } finally {
    await source.close();
  }
}
