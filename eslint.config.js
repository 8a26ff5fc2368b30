// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The renderer runs the rules shared/ defines (docs/decisions.md, "one rule, once"): these
 * keep copies from being written again. test/renderer/lintRules.test.ts shows each one fires.
 */
const SHARED_ONLY = 'live once in shared/ and are imported from @sibantong/shared';
const SHARED_RULE_COPIES = [
  {
    selector:
      "CallExpression[callee.property.name='slice'][arguments.1.value=10][callee.object.callee.property.name='toISOString']",
    message:
      "toISOString() gives the UTC date; 'today' and deadlines are China dates: use chinaDate() from @sibantong/shared.",
  },
  {
    selector: 'ArrayExpression[elements.0.value=7][elements.1.value=9][elements.2.value=10]',
    message: `ID number check-digit weights (GB 11643) ${SHARED_ONLY} (checkIdNumber).`,
  },
  {
    selector:
      'ArrayExpression[elements.0.value=1][elements.1.value=3][elements.2.value=9][elements.3.value=27]',
    message: `USCC check-character weights (GB 32100) ${SHARED_ONLY} (checkUscc).`,
  },
  {
    selector: 'Literal[regex.pattern=/1\\[3-9\\]|\\{17\\}/]',
    message: `Phone and ID number formats ${SHARED_ONLY} (checkPhone, checkIdNumber).`,
  },
  {
    selector:
      "ObjectExpression:has(> Property[key.name='receive'][value.type='Literal']):has(> Property[key.name='forward'][value.type='Literal'])",
    message: `Event names ${SHARED_ONLY} (CASE_EVENT_LABELS_ZH).`,
  },
  {
    selector:
      "ObjectExpression:has(> Property[key.name='received'][value.type='Literal']):has(> Property[key.name='accepted_deferred'][value.type='Literal'])",
    message: `Status names ${SHARED_ONLY} (CASE_STATUS_LABELS_ZH).`,
  },
  {
    selector:
      "CallExpression[callee.property.name='includes'][callee.object.type='ArrayExpression']:has(Literal[value='village_helper'])",
    message: `Role sets ${SHARED_ONLY} (WINDOW_ROLES, roleSeesFullIdentity).`,
  },
];
/** Case documents are written only through db/caseWrites.ts, which runs the hub's checks first. */
const CASE_WRITE_OUTSIDE_CASE_WRITES = {
  selector:
    "CallExpression[callee.object.property.name='cases'][callee.property.name=/^(insert|bulkInsert|upsert|bulkUpsert|incrementalUpsert)$/]",
  message:
    'Write case events through db/caseWrites.ts (insertCase / appendCaseEvents): it runs the hub’s checks before storing.',
};
const RENDERER_RUNS_SHARED_RULES = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['**/domain', '**/domain/*'],
          message: `Domain rules ${SHARED_ONLY}; the renderer has no domain/ folder.`,
        },
        {
          group: ['@sibantong/shared/*', '**/shared/src/**'],
          message:
            'Import shared rules through @sibantong/shared, never its internals (identity, calendar, case modules).',
        },
      ],
    },
  ],
  'no-restricted-syntax': ['error', ...SHARED_RULE_COPIES, CASE_WRITE_OUTSIDE_CASE_WRITES],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/.hub-data/**',
      'e2e/.renderer-build/**',
      'e2e/.tmp/**',
      'bench/.tmp/**',
      'bench/.build/**',
      'bench/results/**',
      'docs/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['desktop/src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      ...RENDERER_RUNS_SHARED_RULES,
    },
  },
  {
    // The write path itself, and replication (which stores what the hub already accepted).
    files: ['desktop/src/renderer/db/**/*.ts', 'desktop/src/renderer/sync/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SHARED_RULE_COPIES] },
  },
  {
    // A renderer `domain/` folder is where copies of the rules grew before: none may exist.
    files: ['desktop/src/renderer/**/domain/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message:
            'Domain rules live once, in shared/ (docs/decisions.md); the renderer imports them from @sibantong/shared. No renderer domain/ folder.',
        },
      ],
    },
  },
);
