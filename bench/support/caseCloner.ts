/**
 * Many realistic cases from a few thousand: the demo history (seed/historyPlan.ts, every event
 * judged by the hub's rules, tickets, 督办 and refused writes as the workflow and push handler
 * make them) read back from a hub's store, then cloned round after round as a larger county's
 * past. Each clone is one JSON pass over its template and the template's records:
 *
 * - a new case id (`<template id>` → `hist-<seed>-r<round>-<n>`), so a round's ids sort after the
 *   previous round's (append-only writes);
 * - a new receiving village (spread over every village of the county, generated towns too) and
 *   its town in place of the template's, everywhere they appear (holder, actors, forwards,
 *   hubScope, 督办 units);
 * - the village PCs as a county has them (two per unit): event ids `<device>:<counter>` are
 *   renumbered per device, so they stay unique and the tickets and refused writes that name
 *   them follow;
 * - provisional numbers with the new village's point code and PC, official numbers from the
 *   hub's own counters (which are moved past them, so the workflow numbers new cases after);
 * - dates: finished cases received more than 60 days ago move back 0–4 whole weeks (weekdays
 *   kept); running cases keep theirs (the overdue work of a county is recent).
 *
 * Documents are plain (the hub's form): the guarded store seals them on write.
 */
import { chinaDate, formatOfficialNo, type OrgUnit } from '@sibantong/shared';

export interface TemplateCase {
  doc: Record<string, unknown> & { _id: string; status: string };
  tickets: Array<Record<string, unknown>>;
  supervision: Array<Record<string, unknown>>;
  refusals: Array<Record<string, unknown>>;
}

export interface ClonedCase {
  doc: Record<string, unknown>;
  tickets: Array<Record<string, unknown>>;
  supervision: Array<Record<string, unknown>>;
  refusals: Array<Record<string, unknown>>;
}

const TERMINAL = new Set([
  'evaluated',
  'result_delivered',
  'concluded_approved',
  'concluded_rejected',
  'withdrawn',
  'not_accepted',
  'terminated',
]);
const DAY_MS = 86_400_000;
const PCS_PER_UNIT = 2;
const SHORT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2d);
  return (h ^ (h >>> 15)) >>> 0;
}

function deviceShort(deviceId: string): string {
  let h = 2166136261;
  for (const ch of deviceId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 4; i += 1) {
    out += SHORT_ALPHABET[h & 31];
    h >>>= 5;
  }
  return out;
}

const shiftDate = (iso: string, days: number) =>
  days === 0
    ? iso
    : new Date(Date.parse(`${iso}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

export class CaseCloner {
  private readonly villages: OrgUnit[];
  private readonly unitById: Map<string, OrgUnit>;
  /** Template units the cloner moves (the demo villages and their towns). */
  private readonly moved: RegExp;
  private readonly eventCounters = new Map<string, number>();
  private readonly provisionalCounters = new Map<string, number>();
  /** `countyCode:year` → last serial given. */
  readonly serials = new Map<string, number>();
  private readonly startDay: string;
  cloned = 0;

  constructor(
    units: readonly OrgUnit[],
    private readonly seed: number,
    /** First day of the history: no clone moves before it. */
    startDay: string,
    serials: Map<string, number>,
  ) {
    this.villages = units.filter((u) => u.level === 'village');
    this.unitById = new Map(units.map((u) => [u.id, u]));
    this.startDay = startDay;
    for (const [k, v] of serials) this.serials.set(k, v);
    const templateUnits = units
      .filter((u) => (u.level === 'village' || u.level === 'town') && !/-b\d\d/.test(u.id))
      .map((u) => u.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.moved = new RegExp(
      [
        'dev-hist-([a-z0-9-]+?):(\\d+)', // 1,2: event id
        'dev-hist-([a-z0-9-]+)', // 3: device id
        `\\b(${templateUnits.join('|')})\\b`, // 4: template unit
        `\\bhist-${seed}-(\\d{6})\\b`, // 5: case id
        '\\b([A-Z0-9]{2,8})-([0-9A-Z]{4})-(\\d{8})-(\\d{4})\\b', // 6-9: provisional number
        '(\\d{4}-\\d{2}-\\d{2})', // 10: date
        'refusal:([0-9a-f]{40})', // 11: refusal id
      ].join('|'),
      'g',
    );
  }

  private nextCounter(map: Map<string, number>, key: string): number {
    const n = (map.get(key) ?? 0) + 1;
    map.set(key, n);
    return n;
  }

  /** Round `round` (≥ 1) of template number `index`. */
  clone(t: TemplateCase, index: number, round: number): ClonedCase {
    const h = mix(index, round);
    const village = this.villages[h % this.villages.length]!;
    const town = village.parentId ?? village.id;
    const templateVillage = String(t.doc.originUnitId);
    const templateTown = String(t.doc.townId);
    const unitMap = (u: string) =>
      u === templateVillage ? village.id : u === templateTown ? town : u;
    const pc = (unit: string) => `dev-${unit}-${1 + (mix(h, unit.length) % PCS_PER_UNIT)}`;
    const newId = `hist-${this.seed}-r${String(round).padStart(4, '0')}-${String(t.doc._id).slice(-6)}`;
    const received = (t.doc as { events?: Array<{ type: string; hubTime?: string }> }).events?.find(
      (e) => e.type === 'receive',
    )?.hubTime;
    const receivedDay = received ? chinaDate(received) : this.startDay;
    let shift = 0;
    if (TERMINAL.has(t.doc.status) && received && Date.now() - Date.parse(received) > 60 * DAY_MS) {
      shift = 7 * ((h >>> 8) % 5);
      if (shiftDate(receivedDay, shift) < this.startDay) shift = 0;
    }
    const events = new Map<string, string>();
    const provisional = new Map<string, string>();
    const rewrite = (json: string) =>
      json.replace(
        this.moved,
        (
          m: string,
          evUnit?: string,
          evN?: string,
          devUnit?: string,
          unit?: string,
          caseN?: string,
          pPoint?: string,
          _pShort?: string,
          pDate?: string,
          _pSerial?: string,
          date?: string,
          refusal?: string,
        ) => {
          if (evUnit !== undefined) {
            let id = events.get(m);
            if (!id) {
              const dev = pc(unitMap(evUnit));
              id = `${dev}:${this.nextCounter(this.eventCounters, dev)}`;
              events.set(m, id);
            }
            return id;
          }
          if (devUnit !== undefined) return pc(unitMap(devUnit));
          if (unit !== undefined) return unitMap(unit);
          if (caseN !== undefined)
            return m === t.doc._id ? newId : `hist-${this.seed}-r${round}-${caseN}`;
          if (pPoint !== undefined && pDate !== undefined) {
            let no = provisional.get(m);
            if (!no) {
              const day = shiftDate(
                `${pDate.slice(0, 4)}-${pDate.slice(4, 6)}-${pDate.slice(6, 8)}`,
                shift,
              ).replaceAll('-', '');
              const point = this.unitById.get(village.id)?.pointCode ?? pPoint;
              const dev = pc(village.id);
              const serial = this.nextCounter(this.provisionalCounters, `${dev}|${day}`);
              no = `${point}-${deviceShort(dev)}-${day}-${String(serial).padStart(4, '0')}`;
              provisional.set(m, no);
            }
            return no;
          }
          if (date !== undefined) return shiftDate(date, shift);
          if (refusal !== undefined) return `refusal:${refusal.slice(0, 16)}-${newId}`;
          return m;
        },
      );
    const strip = (d: Record<string, unknown>): Record<string, unknown> => {
      const { _rev: _r, ...rest } = JSON.parse(rewrite(JSON.stringify(d))) as Record<
        string,
        unknown
      >;
      return { ...rest, _id: String(rest.id ?? rest._id) };
    };
    const doc = strip(t.doc);
    if (typeof t.doc.officialNo === 'string') {
      const m = /^([A-Z]{2,6})-(\d{4})-\d+$/.exec(t.doc.officialNo);
      if (m) {
        const year = Number(shiftDate(receivedDay, shift).slice(0, 4));
        const key = `${m[1]}:${year}`;
        doc.officialNo = formatOfficialNo({
          countyCode: m[1]!,
          year,
          serial: this.nextCounter(this.serials, key),
        });
      }
    }
    this.cloned += 1;
    return {
      doc,
      tickets: t.tickets.map(strip),
      supervision: t.supervision.map(strip),
      refusals: t.refusals.map(strip),
    };
  }
}
