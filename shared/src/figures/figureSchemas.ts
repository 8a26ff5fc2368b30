/**
 * JSON schemas of the figure routes' answers (GET /api/figures, /api/figures/cases,
 * /api/figures/supervision). The desktop checks every answer with them before it shows,
 * keeps (offline copy) or exports anything: a hub of another version, a proxy's error page
 * or a corrupted cache must give a clear error, not a cockpit of undefined numbers. The
 * hub's own answers are checked against them in its tests.
 */
import { makeDocValidator } from '../schemas/schemaValidator.js';
import * as compiled from '../schemas/compiledValidators.js';
import {
  CASE_FACTS,
  DIMENSIONS,
  GRAINS,
  RECORD_FACTS,
  type FigureCasesResponse,
  type FiguresResponse,
  type SupervisionLedgerResponse,
} from './figureTypes.js';

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const count = { type: 'integer', minimum: 0 } as const;
const metrics = [...CASE_FACTS.filter((f) => f !== 'openDue'), 'overdueOpen', ...RECORD_FACTS];

const counts = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(metrics.map((m) => [m, count])),
} as const;

export const figuresResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'scope',
    'from',
    'to',
    'grain',
    'asOf',
    'totals',
    'avgWorkingDays',
    'trend',
    'breakdown',
    'staleDevices',
  ],
  properties: {
    scope: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'unitId', 'name'],
      properties: {
        kind: { type: 'string', enum: ['county', 'town'] },
        unitId: text(100),
        name: text(200),
      },
    },
    from: day,
    to: day,
    grain: { type: 'string', enum: [...GRAINS] },
    asOf: text(40),
    totals: counts,
    avgWorkingDays: { type: ['number', 'null'], minimum: 0 },
    trend: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['period', 'counts'],
        properties: { period: text(20), counts },
      },
    },
    breakdown: {
      type: 'object',
      additionalProperties: false,
      required: [...DIMENSIONS],
      properties: Object.fromEntries(
        DIMENSIONS.map((d) => [
          d,
          {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key', 'name', 'counts'],
              properties: { key: text(100), name: text(200), counts },
            },
          },
        ]),
      ),
    },
    staleDevices: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['deviceId', 'name', 'unitId', 'unitName', 'lastUpload', 'days'],
        properties: {
          deviceId: text(140),
          name: text(200),
          unitId: text(100),
          unitName: text(200),
          lastUpload: { type: ['string', 'null'], maxLength: 40 },
          days: { type: ['integer', 'null'], minimum: 0 },
        },
      },
    },
  },
} as const;

const nullableText = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;

export const figureCasesResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['metric', 'total', 'cases', 'truncated'],
  properties: {
    metric: { type: 'string', enum: metrics },
    total: count,
    truncated: { type: 'boolean' },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'officialNo',
          'provisionalNo',
          'matterCode',
          'originUnitId',
          'townId',
          'holderUnitId',
          'status',
          'applicantNameMasked',
          'applicantIdMasked',
          'assisted',
          'at',
          'promisedDue',
        ],
        properties: {
          id: text(100),
          officialNo: nullableText(100),
          provisionalNo: text(100),
          matterCode: text(100),
          originUnitId: text(100),
          townId: text(100),
          holderUnitId: text(100),
          status: text(40),
          applicantNameMasked: text(200),
          applicantIdMasked: text(40),
          assisted: { type: 'boolean' },
          at: text(40),
          promisedDue: nullableText(40),
        },
      },
    },
  },
} as const;

export const supervisionLedgerResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['records', 'truncated'],
  properties: {
    truncated: { type: 'boolean' },
    records: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'caseId',
          'caseNo',
          'matterCode',
          'unitId',
          'townId',
          'dueDate',
          'issuedAt',
          'resolved',
          'status',
        ],
        properties: {
          id: text(200),
          caseId: text(100),
          caseNo: text(100),
          matterCode: text(100),
          unitId: text(100),
          townId: text(100),
          dueDate: text(40),
          issuedAt: text(40),
          resolved: { type: 'boolean' },
          status: text(40),
        },
      },
    },
  },
} as const;

export const validateFiguresResponse = makeDocValidator<FiguresResponse>(
  compiled.figuresResponse,
  '驾驶舱数据',
);
export const validateFigureCasesResponse = makeDocValidator<FigureCasesResponse>(
  compiled.figureCasesResponse,
  '办件清单',
);
export const validateSupervisionLedgerResponse = makeDocValidator<SupervisionLedgerResponse>(
  compiled.supervisionLedgerResponse,
  '督办台账',
);
