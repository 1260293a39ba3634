/**
 * The weight of one unit sent along a (need, resource) pair: the matcher maximises the sum of
 * these. The urgency tier dominates (a unit of a more urgent need is worth more than any fit),
 * and the fit, always below 1, orders pairs within a tier: nearness, the provider's evaluated
 * quality, continuity with a provider already serving the household, and the need's waiting time.
 */
export const URGENCY_WEIGHT = { CRITICAL: 1000, HIGH: 100, NORMAL: 10, LOW: 1 } as const;
export type UrgencyLevel = keyof typeof URGENCY_WEIGHT;

/** Where the resource's area meets the need: its own committee, its street, or only its district. */
export type Nearness = 'COMMITTEE' | 'STREET' | 'DISTRICT';

const NEARNESS: Readonly<Record<Nearness, number>> = { COMMITTEE: 1, STREET: 0.6, DISTRICT: 0.3 };

/** Shares of the fit; they sum to 1, and the fit is scaled just below 1 so a tier is never crossed. */
export const FIT_SHARES = { nearness: 0.4, quality: 0.3, continuity: 0.2, waiting: 0.1 } as const;
const FIT_SCALE = 0.999;
/** Waiting counts fully from this many days on. */
export const WAITING_HORIZON_DAYS = 90;
/** Quality of a provider never evaluated: the middle of the scale. Evaluated ones have their latest total / 100. */
export const DEFAULT_QUALITY = 0.5;

export interface PairFacts {
  readonly urgency: UrgencyLevel;
  readonly nearness: Nearness;
  /** The provider's evaluated quality, 0 to 1. */
  readonly quality: number;
  /** The provider already serves or served this household. */
  readonly continuing: boolean;
  readonly waitingDays: number;
}

/** The score and its parts, as shown with every proposed referral. */
export interface ScoreBreakdown {
  readonly urgency: number;
  readonly nearness: number;
  readonly quality: number;
  readonly continuity: number;
  readonly waiting: number;
  readonly fit: number;
  readonly total: number;
}

export function scorePair(facts: PairFacts): ScoreBreakdown {
  const urgency = URGENCY_WEIGHT[facts.urgency];
  const nearness = FIT_SHARES.nearness * NEARNESS[facts.nearness];
  const quality = FIT_SHARES.quality * Math.min(1, Math.max(0, facts.quality));
  const continuity = facts.continuing ? FIT_SHARES.continuity : 0;
  const waiting = FIT_SHARES.waiting * Math.min(1, Math.max(0, facts.waitingDays) / WAITING_HORIZON_DAYS);
  const fit = FIT_SCALE * (nearness + quality + continuity + waiting);
  return { urgency, nearness, quality, continuity, waiting, fit, total: urgency + fit };
}

/** A sentence for the referral's reason: why this resource, in the score's own terms. */
export function explainScore(score: ScoreBreakdown, facts: PairFacts): string {
  const where = { COMMITTEE: '同一社区', STREET: '同一街道', DISTRICT: '同一区' }[facts.nearness];
  return `匹配得分 ${score.total.toFixed(3)}：紧急程度 ${facts.urgency} (${score.urgency})，${where} (${score.nearness.toFixed(2)})，服务质量 (${score.quality.toFixed(2)})${facts.continuing ? '，延续既有服务' : ''}，已等待 ${facts.waitingDays} 天 (${score.waiting.toFixed(2)})`;
}
