import type { Actor } from '../../auth/actor';
import { authorizeWrite, mayWrite } from '../../auth/authorize';
import { writeScopes } from '../../auth/policy';
import { isAuthenticated, type Principal } from '../../auth/principal';
import { groupBy } from '../../common/collections';
import { HubError } from '../../common/errors';
import { timeMatchingRun } from '../../common/metrics';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { solveIndexed } from '../../matching/solver';
import type { IndexedInstance } from '../../matching/types';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { requireIds } from '../common/ids';
import { findCaseworkersOfHousehold } from '../needs/needs.repository';
import { reserveUnits } from '../referrals/referrals.repository';
import { insertMatchedReferrals, markNeedsMatched } from './matching.writes';
import { findCandidateEdges, findNeedsToMatch, type BalanceRequest, type CandidateEdgeRow, type MatchScope, type OpenNeedRow } from './matching.repository';
import { DEFAULT_QUALITY, explainScore, scorePair, type Nearness, type PairFacts, type ScoreBreakdown } from './scoring';

const NEARNESS: readonly Nearness[] = ['COMMITTEE', 'STREET', 'DISTRICT'];
const DAY_MS = 86_400_000;

export interface MatchingRunResult {
  readonly needsConsidered: number;
  readonly needsServed: number;
  readonly proposed: number;
  readonly unitsProposed: number;
  readonly objective: number;
  /** CRITICAL and HIGH needs that no compatible resource had room for. */
  readonly urgentNeedsUnserved: number;
  /** Resources whose free units changed under the run (a concurrent referral): their assignments were skipped. */
  readonly conflicts: number;
  readonly referralIds: number[];
  /** What subscribers are told: each referral's provider and need. */
  readonly written: { id: number; providerId: number; needId: number }[];
}

export interface ScoredEdge extends CandidateEdgeRow {
  readonly facts: PairFacts;
  readonly score: ScoreBreakdown;
}

/** The provider's quality in matching: its latest evaluated total on the 0–1 scale, or the middle until it has one. */
const qualityOf = (evaluatedTotal: number | null): number => (evaluatedTotal === null ? DEFAULT_QUALITY : evaluatedTotal / 100);

function score(edges: readonly CandidateEdgeRow[], needs: ReadonlyMap<number, OpenNeedRow>): ScoredEdge[] {
  return edges.flatMap((edge) => {
    const need = needs.get(edge.needId);
    if (!need) return [];
    const facts: PairFacts = { urgency: need.urgency, nearness: NEARNESS[edge.nearness]!, quality: qualityOf(edge.evaluatedTotal), continuing: edge.continuing, waitingDays: need.waitingDays };
    return [{ ...edge, facts, score: scorePair(facts) }];
  });
}

/** The whole set of compatible pairs as the solver's dense instance. */
function toInstance(needs: readonly OpenNeedRow[], edges: readonly ScoredEdge[]): IndexedInstance {
  const needIndex = new Map(needs.map((need, i) => [need.id, i]));
  const resourceIds = [...new Set(edges.map((e) => e.resourceId))];
  const resourceIndex = new Map(resourceIds.map((id, i) => [id, i]));
  const capacity = new Int32Array(resourceIds.length);
  for (const edge of edges) capacity[resourceIndex.get(edge.resourceId)!] = edge.freeUnits;
  return {
    needCount: needs.length,
    resourceCount: resourceIds.length,
    demand: Int32Array.from(needs, (n) => n.remaining),
    capacity,
    edgeNeed: Int32Array.from(edges, (e) => needIndex.get(e.needId)!),
    edgeResource: Int32Array.from(edges, (e) => resourceIndex.get(e.resourceId)!),
    edgeWeight: Float64Array.from(edges, (e) => e.score.total),
  };
}

/**
 * One matching run: every compatible pair in scope, solved exactly for the most value (urgency
 * first, then fit), proposed as referrals with their score in one transaction. Units are reserved
 * per resource with the same conditional update as a manual referral, so a run never overbooks,
 * even beside other runs and manual referrals.
 */
async function run(db: Database, actor: Actor, scope: MatchScope, answerDays: number): Promise<MatchingRunResult> {
  const today = todayInShanghai();
  const needs = await findNeedsToMatch(db, scope, today);
  const byId = new Map(needs.map((n) => [n.id, n]));
  const edges = score(await findCandidateEdges(db, scope, today), byId);
  const solution = solveIndexed(toInstance(needs, edges));
  const chosen = edges.map((edge, i) => ({ edge, units: solution.units[i]! })).filter((c) => c.units > 0);
  return db.transaction(async (tx) => {
    const byResource = groupBy(chosen, (c) => c.edge.resourceId);
    const kept: typeof chosen = [];
    let conflicts = 0;
    for (const [resourceId, group] of byResource) {
      if (await reserveUnits(tx, resourceId, group.reduce((total, c) => total + c.units, 0))) kept.push(...group);
      else conflicts += 1;
    }
    const expiresAt = new Date(Date.now() + answerDays * DAY_MS);
    const referralIds = await insertMatchedReferrals(
      tx,
      kept.map(({ edge, units }) => ({
        needId: edge.needId,
        resourceId: edge.resourceId,
        providerId: edge.providerId,
        householdId: byId.get(edge.needId)!.householdId,
        units,
        reason: explainScore(edge.score, edge.facts),
        score: edge.score.total,
        scoreParts: { urgency: edge.score.urgency, nearness: edge.score.nearness, quality: edge.score.quality, continuity: edge.score.continuity, waiting: edge.score.waiting },
        proposedBy: actor.viewer.subject,
        expiresAt,
      })),
      actor.viewer.subject,
    );
    const served = new Set(kept.map((c) => c.edge.needId));
    await markNeedsMatched(tx, [...served]);
    await recordAudit(
      tx,
      referralIds.map((id) => ({ actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.CREATE, entityType: 'Referral', entityId: id, fields: ['need', 'resource', 'units', 'score'] })),
    );
    return {
      needsConsidered: needs.length,
      needsServed: served.size,
      proposed: referralIds.length,
      unitsProposed: kept.reduce((total, c) => total + c.units, 0),
      objective: kept.reduce((total, c) => total + c.units * c.edge.score.total, 0),
      urgentNeedsUnserved: needs.filter((n) => (n.urgency === 'CRITICAL' || n.urgency === 'HIGH') && !served.has(n.id)).length,
      conflicts,
      referralIds,
      written: referralIds.map((id, i) => ({ id, providerId: kept[i]!.edge.providerId, needId: kept[i]!.edge.needId })),
    };
  });
}

/**
 * A run over the city, some districts or some catalogue items. It is a district-wide act: the
 * city bureau runs it anywhere, a district bureau within its districts.
 */
export async function runMatching(db: Database, actor: Actor, scope: { districtIds?: number[]; categoryIds?: number[] }, answerDays: number): Promise<MatchingRunResult> {
  authorizeWrite(actor.viewer, 'proposeReferral');
  const scopes = writeScopes(actor.viewer, 'proposeReferral');
  let districtIds = scope.districtIds;
  if (!scopes.includes('ALL')) {
    if (!scopes.includes('MY_DISTRICTS')) throw new HubError('FORBIDDEN', 'Matching runs are for the city and district bureaus; match single needs with matchNeedNow');
    const mine = actor.viewer.districtIds;
    if (districtIds?.some((id) => !mine.includes(id))) throw new HubError('FORBIDDEN', 'A district bureau runs matching in its own districts only');
    districtIds = districtIds?.length ? districtIds : [...mine];
  }
  return timeMatchingRun('scope', () => run(db, actor, { districtIds, categoryIds: scope.categoryIds }, answerDays));
}

/** Matches one need now: the best compatible resources with room, as a run of one. */
export async function matchNeedNow(db: Database, actor: Actor, need: { id: number; householdId: number; districtId: number; streetId: number }, answerDays: number): Promise<MatchingRunResult> {
  authorizeWrite(actor.viewer, 'proposeReferral');
  const target = { districtIds: [need.districtId], streetIds: [need.streetId], caseworkerIds: await findCaseworkersOfHousehold(db, need.householdId) };
  if (!mayWrite(actor.viewer, 'proposeReferral', target)) throw new HubError('FORBIDDEN', 'Your roles do not allow proposeReferral here');
  return timeMatchingRun('need', () => run(db, actor, { needIds: [need.id] }, answerDays));
}

/** Each need's compatible resources with free units, best first, with their score parts: two statements for any number of needs. */
export async function candidatesOfNeeds(db: Database, needIds: readonly number[]): Promise<ScoredEdge[][]> {
  const today = todayInShanghai();
  const needs = await findNeedsToMatch(db, { needIds }, today);
  const byId = new Map(needs.map((n) => [n.id, n]));
  const edges = needs.length === 0 ? [] : score(await findCandidateEdges(db, { needIds: needs.map((n) => n.id) }, today), byId);
  const byNeed = groupBy(edges, (edge) => edge.needId);
  return needIds.map((id) => (byNeed.get(id) ?? []).sort((a, b) => b.score.total - a.score.total || a.resourceId - b.resourceId));
}

/**
 * What a balance is asked for, from the field's arguments, or the error the field gives. Compiled
 * queries (src/server/compiled) read the balance through this too.
 */
export function balanceRequest(args: { districts?: readonly string[] | null; categories?: readonly string[] | null }, viewer: Principal): BalanceRequest {
  if (!isAuthenticated(viewer)) throw new HubError('UNAUTHENTICATED', 'Sign in to see the balance of supply and need');
  return {
    districtIds: args.districts ? requireIds(args.districts, 'District', ['districts']) : undefined,
    categoryIds: args.categories ? requireIds(args.categories, 'ServiceCategory', ['categories']) : undefined,
    today: todayInShanghai(),
  };
}
