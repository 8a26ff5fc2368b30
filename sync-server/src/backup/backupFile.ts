/**
 * The backup file: gzip'd JSON lines. First line a header (format, version, when, the store it
 * came from, the fingerprints of the data keys that sealed it), then one line per document
 * (`{ "db": "cases", "doc": {...} }`, stored form: citizens' fields stay sealed), then a
 * trailer with the count per database. A file without its trailer is a cut-off copy and is
 * refused whole.
 *
 * The keys themselves are never in the file: a stolen backup discloses no citizen's data, and
 * restoring needs `secrets/at-rest-keys.json` kept apart (docs/it-guide.md).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import type { Keyring } from '../atRest/keyring.js';
import type { RawDoc } from './storeCopy.js';

export const BACKUP_FORMAT = 'sibantong-hub-backup';

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  storeKind: string;
  prefix: string;
  /** kid → sha256 of the key, first 16 hex digits: which key file a restore needs. */
  keyFingerprints: Record<string, string>;
}

export interface BackupTrailer {
  end: true;
  counts: Record<string, number>;
}

export function keyFingerprints(keyring: Keyring): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kid of keyring.kids()) {
    const key = keyring.key(kid);
    if (key) out[kid] = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }
  return out;
}

/** Writes to `<file>.partial`, renamed to `file` only when complete. */
export class BackupWriter {
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;
  private readonly partial: string;
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly file: string,
    header: BackupHeader,
  ) {
    this.partial = `${file}.partial`;
    const out = createWriteStream(this.partial, { mode: 0o600 });
    this.done = new Promise((resolve, reject) => {
      out.on('finish', () => resolve());
      out.on('error', reject);
      this.gzip.on('error', reject);
    });
    this.gzip.pipe(out);
    this.gzip.write(`${JSON.stringify(header)}\n`);
  }

  async add(db: string, docs: RawDoc[]): Promise<void> {
    this.counts[db] = (this.counts[db] ?? 0) + docs.length;
    const text = docs.map((doc) => JSON.stringify({ db, doc })).join('\n') + '\n';
    if (!this.gzip.write(text)) await new Promise((r) => this.gzip.once('drain', r));
  }

  /** Databases with no document still appear in the trailer (restored empty). */
  noteDatabase(db: string): void {
    this.counts[db] ??= 0;
  }

  async finish(): Promise<void> {
    const trailer: BackupTrailer = { end: true, counts: this.counts };
    this.gzip.end(`${JSON.stringify(trailer)}\n`);
    await this.done;
    renameSync(this.partial, this.file);
  }

  async abort(): Promise<void> {
    this.gzip.destroy();
    rmSync(this.partial, { force: true });
  }
}

export class BackupFileError extends Error {}

/** Reads a backup: header, then documents (callback), then checks the trailer's counts. */
export async function readBackup(
  file: string,
  onDoc: (db: string, doc: RawDoc) => Promise<void> | void,
): Promise<{ header: BackupHeader; counts: Record<string, number> }> {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header: BackupHeader | null = null;
  let trailer: BackupTrailer | null = null;
  const seen: Record<string, number> = {};
  try {
    for await (const line of lines) {
      if (!line) continue;
      const v = JSON.parse(line) as Record<string, unknown>;
      if (!header) {
        if (v.format !== BACKUP_FORMAT || v.version !== 1) {
          throw new BackupFileError(`${file} 不是四办通枢纽的备份文件`);
        }
        header = v as unknown as BackupHeader;
      } else if (v.end === true) {
        trailer = v as unknown as BackupTrailer;
      } else if (typeof v.db === 'string' && v.doc && typeof v.doc === 'object') {
        seen[v.db] = (seen[v.db] ?? 0) + 1;
        await onDoc(v.db, v.doc as RawDoc);
      } else {
        throw new BackupFileError(`${file} 含有无法识别的行`);
      }
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    throw new BackupFileError(`备份文件损坏或不完整：${file}`);
  }
  if (!header || !trailer) throw new BackupFileError(`备份文件不完整（缺少结尾）：${file}`);
  for (const [db, n] of Object.entries(trailer.counts)) {
    if ((seen[db] ?? 0) !== n) {
      throw new BackupFileError(`备份文件不完整：${db} 应有 ${n} 条，实有 ${seen[db] ?? 0} 条`);
    }
  }
  return { header, counts: trailer.counts };
}
