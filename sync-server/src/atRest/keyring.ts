/**
 * The hub's data keys for citizens' data at rest: AES-256 keys in
 * `<dataDir>/secrets/at-rest-keys.json` (mode 0600, beside the store admin secret), never in
 * the store. One key is current (new writes); older ones stay until `keys rotate` has
 * re-sealed every document with the current key.
 *
 * The file is re-read when it changes (checked at most once a second, and at once when a
 * document names a key this process does not know), so a `keys rotate` run by the CLI next to
 * a running hub takes effect in the hub without a restart.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

const KEY_ID = /^k[0-9]{1,6}$/;

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'at-rest-keys.json');
}

function parse(file: string): KeyFile {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!raw || typeof raw !== 'object') throw new Error(`${file} is damaged`);
  const { current, keys } = raw as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string' || !keys || typeof keys !== 'object') {
    throw new Error(`${file} is damaged`);
  }
  const out: Record<string, string> = {};
  for (const [kid, value] of Object.entries(keys as Record<string, unknown>)) {
    if (!KEY_ID.test(kid) || typeof value !== 'string') throw new Error(`${file} is damaged`);
    if (Buffer.from(value, 'base64url').length !== 32)
      throw new Error(`${file}: key ${kid} is not 256 bits`);
    out[kid] = value;
  }
  if (!out[current]) throw new Error(`${file}: current key ${current} is missing`);
  return { current, keys: out };
}

/** Atomic replace, owner-only: a crash mid-write never leaves a half key file. */
function write(file: string, content: KeyFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

function createIfMissing(file: string): void {
  if (existsSync(file)) return;
  write(file, { current: 'k1', keys: { k1: randomBytes(32).toString('base64url') } });
}

export class Keyring {
  private content: KeyFile;
  private mtimeMs = 0;
  private checkedAt = 0;

  constructor(private readonly file: string) {
    createIfMissing(file);
    this.content = parse(file);
    this.mtimeMs = statSync(file).mtimeMs;
    this.checkedAt = Date.now();
  }

  static forDataDir(dataDir: string): Keyring {
    return new Keyring(keyFilePath(dataDir));
  }

  private refresh(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    const m = statSync(this.file).mtimeMs;
    if (m !== this.mtimeMs) {
      this.content = parse(this.file);
      this.mtimeMs = m;
    }
  }

  /** The key new writes are sealed with. */
  current(): { kid: string; key: Buffer } {
    this.refresh(false);
    const kid = this.content.current;
    return { kid, key: Buffer.from(this.content.keys[kid]!, 'base64url') };
  }

  /** A key by id (re-reading the file once if unknown), or null. */
  key(kid: string): Buffer | null {
    let v = this.content.keys[kid];
    if (v === undefined) {
      this.refresh(true);
      v = this.content.keys[kid];
    }
    return v === undefined ? null : Buffer.from(v, 'base64url');
  }

  kids(): string[] {
    this.refresh(false);
    return Object.keys(this.content.keys);
  }

  /** Adds a new key and makes it current; returns its id. */
  rotate(): string {
    this.refresh(true);
    const next = Math.max(0, ...Object.keys(this.content.keys).map((k) => Number(k.slice(1)))) + 1;
    const kid = `k${next}`;
    const content: KeyFile = {
      current: kid,
      keys: { ...this.content.keys, [kid]: randomBytes(32).toString('base64url') },
    };
    write(this.file, content);
    this.refresh(true);
    return kid;
  }

  /** Drops every key but the current one (after all documents were re-sealed). */
  retireOld(): string[] {
    this.refresh(true);
    const { current, keys } = this.content;
    const dropped = Object.keys(keys).filter((k) => k !== current);
    if (dropped.length === 0) return [];
    write(this.file, { current, keys: { [current]: keys[current]! } });
    this.refresh(true);
    return dropped;
  }
}
