import {
  clone,
  flatClone,
  getPrimaryFieldOfPrimaryKey,
  hasEncryption,
  wrapRxStorageInstance,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { DomainError } from '@sibantong/shared';
import { createFieldCrypto, unreadableLocalData, type FieldCrypto } from '../crypto/fieldCrypto';

/**
 * RxDB storage wrapper that keeps the schema's `encrypted` fields as AES-GCM ciphertext in
 * IndexedDB (crypto/fieldCrypto.ts), transparently: queries on other fields, the replication
 * handlers and the conflict handler see plaintext, as with RxDB's crypto-js wrapper it
 * replaces (same stored shape: each encrypted field becomes a string, so no schema change or
 * migration is needed; earlier values are still read).
 *
 * RxDB hands a storage wrapper the same values many times over: each write carries the
 * previous version (encrypted again only to be compared by revision), and the change stream
 * decrypts both versions of every written document right after the write. A small memo of
 * the pairs this instance has just encrypted or decrypted answers those repeats without
 * cryptography; real work is left for values not seen recently. The memo lives in memory
 * only, beside RxDB's own document cache, which already holds the same plaintext.
 */
const MEMO_ENTRIES = 5_000;

/** Plaintext ↔ ciphertext pairs seen recently (first in, first out). */
class CipherMemo {
  private readonly byCipher = new Map<string, { context: string; plain: string }>();
  private readonly byPlain = new Map<string, string>();
  constructor(private readonly max: number) {}

  remember(context: string, plain: string, cipher: string): void {
    this.byCipher.set(cipher, { context, plain });
    this.byPlain.set(`${context}\u0000${plain}`, cipher);
    if (this.byCipher.size > this.max) {
      const oldest = this.byCipher.keys().next().value as string;
      const e = this.byCipher.get(oldest)!;
      this.byCipher.delete(oldest);
      if (this.byPlain.get(`${e.context}\u0000${e.plain}`) === oldest)
        this.byPlain.delete(`${e.context}\u0000${e.plain}`);
    }
  }
  plainOf(context: string, cipher: string): string | undefined {
    const e = this.byCipher.get(cipher);
    return e && e.context === context ? e.plain : undefined;
  }
  cipherOf(context: string, plain: string): string | undefined {
    return this.byPlain.get(`${context}\u0000${plain}`);
  }
}

const MIN_PASSWORD_LENGTH = 16;
const cryptoByPassword = new Map<string, Promise<FieldCrypto>>();
function fieldCryptoFor(password: string): Promise<FieldCrypto> {
  let c = cryptoByPassword.get(password);
  if (!c) {
    c = createFieldCrypto(password);
    cryptoByPassword.set(password, c);
  }
  return c;
}

function getAt(doc: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = doc;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** A copy of `doc` with `value` at `path`; only the objects along the path are copied. */
function setAt<T extends Record<string, unknown>>(doc: T, path: string[], value: unknown): T {
  const head = path[0]!;
  const out = flatClone(doc) as Record<string, unknown>;
  if (path.length === 1) out[head] = value;
  else out[head] = setAt((out[head] ?? {}) as Record<string, unknown>, path.slice(1), value);
  return out as T;
}

/** The stored schema: every encrypted field is a string of ciphertext. */
export function storedSchema<T>(
  schema: RxJsonSchema<T>,
  paths: string[][] = (schema.encrypted ?? []).map((p) => p.split('.')),
): RxJsonSchema<T> {
  const s = clone(schema) as RxJsonSchema<T> & {
    properties: Record<string, { properties?: Record<string, unknown> }>;
  };
  delete (s as { encrypted?: unknown }).encrypted;
  for (const path of paths) {
    let level: { properties?: Record<string, unknown> } = s;
    for (const p of path.slice(0, -1))
      level = (level.properties![p] ?? {}) as { properties?: Record<string, unknown> };
    level.properties![path.at(-1)!] = { type: 'string' };
  }
  return s;
}

export function encryptedFieldsStorage<Internals, Options>(args: {
  storage: RxStorage<Internals, Options>;
}): RxStorage<Internals, Options> {
  return {
    ...args.storage,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, Options>,
    ) {
      if (!hasEncryption(params.schema)) return args.storage.createStorageInstance(params);
      if (params.schema.attachments?.encrypted)
        throw new DomainError('LOCAL_SCHEMA_UNSUPPORTED', '本地数据库不支持加密附件', {
          collection: params.collectionName,
        });
      if (typeof params.password !== 'string' || params.password.length < MIN_PASSWORD_LENGTH)
        throw new DomainError('LOCAL_KEY_MISSING', '本机数据密钥缺失或无效，无法打开本地数据库', {
          collection: params.collectionName,
        });
      const fieldCrypto = await fieldCryptoFor(params.password);
      const paths = (params.schema.encrypted ?? []).map((p) => p.split('.'));
      const primary = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
      const instance = await args.storage.createStorageInstance({
        ...params,
        schema: storedSchema(params.schema, paths),
      });
      const memo = new CipherMemo(MEMO_ENTRIES);
      const contextOf = (doc: Record<string, unknown>, path: string[]) =>
        `${params.collectionName}/${String(doc[primary])}/${path.join('.')}`;

      const encryptValue = async (context: string, value: unknown): Promise<string> => {
        const plain = JSON.stringify(value);
        const known = memo.cipherOf(context, plain);
        if (known !== undefined) return known;
        const cipher = await fieldCrypto.encrypt(plain, context);
        memo.remember(context, plain, cipher);
        return cipher;
      };
      const decryptValue = async (context: string, stored: unknown): Promise<unknown> => {
        if (typeof stored !== 'string') throw unreadableLocalData(`not ciphertext: ${context}`);
        let plain = memo.plainOf(context, stored);
        if (plain === undefined) {
          plain = await fieldCrypto.decrypt(stored, context);
          // Values in the old form are not remembered by plaintext: their next write must
          // produce the new form, not hand the old ciphertext back.
          if (!fieldCrypto.isLegacy(stored)) memo.remember(context, plain, stored);
        }
        return JSON.parse(plain) as unknown;
      };

      /** A copy of the document with each encrypted field passed through `convert`. */
      const mapFields =
        (convert: (context: string, value: unknown) => Promise<unknown>) =>
        async (docData: RxDocumentData<RxDocType>) => {
          let out = docData as unknown as Record<string, unknown>;
          for (const path of paths) {
            const value = getAt(out, path);
            if (value === undefined) continue;
            out = setAt(out, path, await convert(contextOf(out, path), value));
          }
          return out as unknown as RxDocumentData<RxDocType>;
        };
      const toStorage = mapFields(encryptValue);
      const fromStorage = mapFields(decryptValue);
      return wrapRxStorageInstance(params.schema, instance, toStorage, fromStorage);
    },
  };
}
