// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

/**
 * The lint rules of eslint.config.js that keep domain rules out of the renderer (they live
 * once in shared/): each fixture below is a copy of a rule the renderer once had, and the
 * project's own config must refuse it in the renderer, and only there.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const IN_RENDERER = 'desktop/src/renderer/features/village/fixture.ts';

const COPIES: [string, string, RegExp][] = [
  [
    'a renderer domain/ import',
    "import { EVENT_LABELS } from '../../domain/labels';\nexport const x = EVENT_LABELS;",
    /no domain\/ folder/,
  ],
  [
    'a shared internal import',
    "import { checkIdNumber } from '@sibantong/shared/src/identity/idNumber';\nexport const x = checkIdNumber;",
    /through @sibantong\/shared/,
  ],
  [
    'ID check-digit weights',
    'export const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];',
    /GB 11643/,
  ],
  [
    'USCC weights',
    'export const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];',
    /GB 32100/,
  ],
  [
    'a phone regex',
    'export const ok = (p: string) => /^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$/.test(p);',
    /checkPhone/,
  ],
  [
    'an ID number regex',
    'export const ok = (p: string) => /^\\d{17}[\\dX]$/.test(p);',
    /checkIdNumber/,
  ],
  ['a UTC "today"', 'export const today = new Date().toISOString().slice(0, 10);', /chinaDate/],
  [
    'an event label table',
    "export const L = { receive: '收件', forward: '转办至乡镇', claim: '认领' };",
    /CASE_EVENT_LABELS_ZH/,
  ],
  [
    'a status label table',
    "export const S = { received: '已收件', accepted_deferred: '容缺受理' };",
    /CASE_STATUS_LABELS_ZH/,
  ],
  [
    'a window-role set',
    "export const sees = (r: string) => ['village_helper', 'town_lead', 'centre_agent'].includes(r);",
    /roleSeesFullIdentity/,
  ],
];

describe(
  'lint: the renderer runs the shared rules, it does not copy them',
  { timeout: 60_000 },
  () => {
    it('refuses a case write that bypasses the checked write path, except in db/caseWrites', async () => {
      const code =
        "import type { AppDatabase } from '../../db/database';\n" +
        'export const save = (db: AppDatabase, d: never) => db.cases.insert(d);';
      expect((await problems(code, IN_RENDERER)).join('\n')).toMatch(/db\/caseWrites\.ts/);
      const inWritePath = code.replace('../../db/database', './database');
      expect(await problems(inWritePath, 'desktop/src/renderer/db/caseWrites.ts')).toEqual([]);
    });

    it.each(COPIES)('refuses %s in the renderer', async (_name, code, message) => {
      const found = await problems(code, IN_RENDERER);
      expect(found.some((m) => message.test(m))).toBe(true);
    });

    it('refuses any file in a renderer domain/ folder', async () => {
      const found = await problems(
        'export const nothing = 1;',
        'desktop/src/renderer/domain/anything.ts',
      );
      expect(found.join('\n')).toMatch(/No renderer domain\/ folder/);
    });

    it('leaves shared/ (where the rules live) alone', async () => {
      for (const [, code] of COPIES.slice(2))
        expect(await problems(code, 'shared/src/identity/fixture.ts')).toEqual([]);
    });

    it('accepts the renderer importing the shared rules', async () => {
      const code =
        "import { checkPhone, chinaDate, CASE_EVENT_LABELS_ZH } from '@sibantong/shared';\n" +
        'export const x = [checkPhone, chinaDate, CASE_EVENT_LABELS_ZH];';
      expect(await problems(code, IN_RENDERER)).toEqual([]);
    });
  },
);
