/**
 * Hub-side validation of pushed documents against the same schemas RxDB uses on the client.
 * RxDB's bookkeeping fields are ignored, and problems come back in Chinese for the outbox.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Result } from '../errors/domainError.js';

/** Fields RxDB and CouchDB add to every stored document; not part of our schemas. */
export const STORAGE_FIELDS = ['_deleted', '_rev', '_meta', '_attachments', '_id'] as const;

const MAX_PROBLEMS = 5;

let sharedAjv: Ajv | null = null;

function ajv(): Ajv {
  if (!sharedAjv) {
    // RxDB's schema keywords are vocabulary here, so strict mode still catches our typos.
    sharedAjv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
    sharedAjv.addVocabulary([
      'version',
      'primaryKey',
      'indexes',
      'encrypted',
      'keyCompression',
      'final',
    ]);
  }
  return sharedAjv;
}

export function withoutStorageFields(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  for (const field of STORAGE_FIELDS) delete copy[field];
  return copy;
}

function describe(error: ErrorObject): string | null {
  const at = error.instancePath === '' ? '文档' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      // The failing branch reports its own errors; "must match then" adds nothing.
      return null;
    case 'required':
      return `${at} 缺少字段 ${String(params.missingProperty)}`;
    case 'additionalProperties':
      return `${at} 含有不允许的字段 ${String(params.additionalProperty)}`;
    case 'type':
      return `${at} 类型应为 ${String(params.type)}`;
    case 'enum':
      return `${at} 取值不在允许范围内`;
    case 'const':
      return `${at} 取值应为 ${JSON.stringify(params.allowedValue)}`;
    case 'minLength':
      return params.limit === 1 ? `${at} 不能为空` : `${at} 长度不足 ${String(params.limit)}`;
    case 'maxLength':
      return `${at} 长度超过 ${String(params.limit)}`;
    case 'pattern':
      return `${at} 格式不正确`;
    case 'minimum':
    case 'maximum':
      return `${at} 数值超出范围(${String(params.comparison)} ${String(params.limit)})`;
    case 'minItems':
      return `${at} 至少需要 ${String(params.limit)} 项`;
    case 'maxItems':
      return `${at} 最多 ${String(params.limit)} 项`;
    case 'uniqueItems':
      return `${at} 含有重复项`;
    default:
      return `${at} 不符合要求(${error.keyword})`;
  }
}

export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines: string[] = [];
  for (const error of errors ?? []) {
    const line = describe(error);
    if (line !== null && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

export type DocValidator<T> = (doc: unknown) => Result<T>;

/** Builds a validator for one collection; the schema is compiled on first use. */
export function makeDocValidator<T>(schema: object, labelZh: string): DocValidator<T> {
  let compiled: ValidateFunction | null = null;
  return (doc) => {
    compiled ??= ajv().compile(schema);
    const candidate = withoutStorageFields(doc);
    if (compiled(candidate)) return { ok: true, value: candidate as T };
    const problems = describeSchemaErrors(compiled.errors);
    const shown = problems.slice(0, MAX_PROBLEMS).join('；');
    const more = problems.length > MAX_PROBLEMS ? `；等共 ${problems.length} 处` : '';
    return {
      ok: false,
      code: 'SCHEMA_INVALID',
      messageZh: `${labelZh}格式不正确：${shown}${more}`,
    };
  };
}
