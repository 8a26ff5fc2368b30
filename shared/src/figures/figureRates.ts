/** Rates derived from counts (never stored, always from the same counts the screen shows). */
import type { FigureCounts } from './figureTypes.js';

export interface FigureRates {
  /** 即办率: concluded on the day of acceptance / concluded. */
  instantRate: number | null;
  /** 按期办结率: concluded on time / concluded. */
  onTimeRate: number | null;
  /** 满意率: levels 1–3 / ratings. */
  satisfiedRate: number | null;
  /** 差评整改率: tickets rectified (反馈 or 回访办结) / tickets. */
  rectifyRate: number | null;
  /** 回访率: tickets closed with a call back / tickets. */
  callBackRate: number | null;
  ratings: number;
  badRatings: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function ratesOf(c: FigureCounts): FigureRates {
  const n = (k: keyof FigureCounts) => c[k] ?? 0;
  const ratings = n('rate1') + n('rate2') + n('rate3') + n('rate4') + n('rate5');
  return {
    instantRate: ratio(n('instant'), n('concluded')),
    onTimeRate: ratio(n('onTime'), n('concluded')),
    satisfiedRate: ratio(n('rate1') + n('rate2') + n('rate3'), ratings),
    rectifyRate: ratio(n('ticketsRectified'), n('tickets')),
    callBackRate: ratio(n('ticketsCalledBack'), n('tickets')),
    ratings,
    badRatings: n('rate4') + n('rate5'),
  };
}

/** 96.3 % style, or — when there is nothing to divide. */
export function formatRate(r: number | null): string {
  return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}
