/**
 * The citizen's rating: the messages between the clerk's window and the rating window are
 * refused when malformed, a 差评 must say why, and the event written for it says it came from
 * the citizen's screen — checked by the same case machine the hub runs on every push.
 */
import { describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/schemas/caseSchema.js';
import Ajv from 'ajv';
import { RXDB_VOCABULARY, makeDocValidator } from '../../src/schemas/schemaValidator.js';
import {
  BAD_RATING_REASON_LABELS_ZH,
  BAD_RATING_REASONS,
  parseRatingRequest,
  parseRatingSubmission,
  ratePayloadOf,
  type RatingSubmission,
} from '../../src/rating/index.js';
import { applyEvent, deriveCaseState } from '../../src/case/caseMachine.js';
import { fullJourney, helper } from '../case/fixtures.js';

/** The full journey up to 结果送达 (its last event, the clerk's old rating, left out). */
function delivered() {
  const j = fullJourney();
  j.events.pop();
  return j;
}

const submission = (over: Partial<RatingSubmission> = {}): RatingSubmission => ({
  kind: 'rating-submit',
  sessionId: 's-1',
  caseId: 'case-1',
  level: 1,
  reasons: [],
  realName: true,
  ...over,
});

describe('citizen rating messages', () => {
  it('accepts a well-formed request and refuses anything else with its own code', () => {
    const req = {
      kind: 'rating-request',
      sessionId: 's-1',
      caseId: 'case-1',
      provisionalNo: 'LS-20260302-0001',
      matterName: '城乡居民养老保险参保登记',
      unitName: '东桥村',
    };
    expect(parseRatingRequest(req)).toEqual(req);
    for (const bad of [null, 'x', { ...req, kind: 'rating-submit' }, { ...req, extra: 1 }])
      expect(() => parseRatingRequest(bad)).toThrow(
        expect.objectContaining({ code: 'RATING_MESSAGE_INVALID' }),
      );
  });

  it('a 差评 needs a ticked reason or a few words; a 好评 carries no reasons', () => {
    expect(() => parseRatingSubmission(submission({ level: 5 }))).toThrow(/至少勾选一项原因/);
    expect(parseRatingSubmission(submission({ level: 5, reasons: ['slow'] })).level).toBe(5);
    expect(parseRatingSubmission(submission({ level: 4, text: '等了很久' })).level).toBe(4);
    expect(() => parseRatingSubmission(submission({ level: 2, reasons: ['slow'] }))).toThrow(
      /只有差评/,
    );
    expect(() =>
      parseRatingSubmission(submission({ level: 5, reasons: ['bribe' as 'slow'] })),
    ).toThrow(expect.objectContaining({ code: 'RATING_MESSAGE_INVALID' }));
    expect(() => parseRatingSubmission(submission({ level: 6 as 5 }))).toThrow();
  });

  it('every reason has a Chinese label', () => {
    for (const r of BAD_RATING_REASONS) expect(BAD_RATING_REASON_LABELS_ZH[r]).toBeTruthy();
  });

  it('the rate event says the citizen’s screen produced it, and the case machine agrees', () => {
    const payload = ratePayloadOf(submission({ level: 5, reasons: ['slow'], text: ' 太慢 ' }));
    expect(payload).toEqual({
      level: 5,
      channel: 'citizen_screen',
      realName: true,
      reasons: ['slow'],
      text: '太慢',
    });
    const rated = delivered().add(helper, 'rate', payload);
    expect(deriveCaseState(rated.events).status).toBe('evaluated');
    expect(deriveCaseState(rated.events).rating).toMatchObject({ level: 5 });
    // The hub's schema accepts the payload; an unknown reason or channel is refused.
    // The event part of the case schema alone (the product precompiles whole documents only).
    const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
    ajv.addVocabulary([...RXDB_VOCABULARY]);
    const eventSchema = makeDocValidator(
      ajv.compile((caseSchema.properties.events as { items: object }).items),
      '事件',
    );
    expect(eventSchema(rated.events.at(-1)).ok).toBe(true);
    expect(
      eventSchema({
        ...rated.events.at(-1),
        payload: { ...payload, reasons: ['bribe'] },
      }).ok,
    ).toBe(false);
  });

  it('the machine refuses a citizen-screen 差评 without a reason (as the hub does on push)', () => {
    const j = delivered();
    const state = deriveCaseState(j.events);
    const bad = j.make(helper, 'rate', { level: 5, channel: 'citizen_screen', realName: true });
    expect(applyEvent(state, bad, {})).toMatchObject({ ok: false });
    const good = j.make(helper, 'rate', {
      level: 5,
      channel: 'citizen_screen',
      realName: true,
      reasons: ['attitude'],
    });
    expect(applyEvent(state, good, {})).toMatchObject({ ok: true });
  });
});
