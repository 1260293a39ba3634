import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { evaluationFormulas } from '../../src/db/schema';
import { buildDashboardWorld, EXPECTED, type DashboardWorld } from '../support/dashboard-world';
import { gid } from '../support/factories';
import { startTestHub, type TestHub } from '../support/hub';

const YEAR = 2025;
/** The reading day: after the year, so every step due in it is judged. */
const NOW = new Date('2026-03-01T12:00:00+08:00');

let hub: TestHub;
let world: DashboardWorld;
let A: string;
let B: string;

const principal = (roles: Role[], places: Partial<Pick<Principal, 'districtIds' | 'streetIds'>> = {}): Principal => ({
  subject: `test-${roles.join('-')}`,
  organizationId: null,
  staffMemberId: null,
  roles,
  districtIds: places.districtIds ?? [],
  streetIds: places.streetIds ?? [],
});

const SCORECARDS = `query($year: Int!, $districts: [ID!]) {
  districtScorecards(year: $year, districts: $districts) {
    year district { id }
    onTimeHandling { numerator denominator rate }
    matching { numerator denominator rate }
    wait { answeredNeeds stillWaiting medianDays }
    satisfaction { ratings minRatings mean }
    staffing { numerator denominator rate }
    training { numerator denominator rate }
  }
}`;

interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface Card {
  year: number;
  district: { id: string };
  onTimeHandling: Ratio;
  matching: Ratio;
  wait: { answeredNeeds: number; stillWaiting: number; medianDays: number | null };
  satisfaction: { ratings: number; minRatings: number; mean: number | null };
  staffing: Ratio;
  training: Ratio;
}

async function scorecards(viewer: Principal | undefined, variables: Record<string, unknown>, now = NOW) {
  return hub.run<{ districtScorecards: Card[] }>(SCORECARDS, variables, { ...(viewer ? { viewer } : {}), now });
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });

beforeAll(async () => {
  hub = await startTestHub();
  world = await buildDashboardWorld(hub.db, YEAR, NOW);
  A = gid('District', world.placeA.districtId);
  B = gid('District', world.placeB.districtId);
});

afterAll(() => hub.close());

describe('districtScorecards: the definitions, on hand-counted rows', () => {
  it('counts each measure with its numerator and denominator, per district and zeros included', async () => {
    const { data, errors } = await scorecards(undefined, { year: YEAR, districts: [A, B] });
    expect(errors).toBeUndefined();
    const [a, b] = data!.districtScorecards;
    expect(a!.district.id).toBe(A);
    expect(a).toMatchObject({
      year: YEAR,
      onTimeHandling: ratio(2, 5),
      matching: ratio(3, 6),
      wait: EXPECTED.A.wait,
      staffing: ratio(1, 3),
      training: ratio(1, 3),
    });
    expect(b!.district.id).toBe(B);
    expect(b).toMatchObject({ onTimeHandling: ratio(1, 1), matching: ratio(0, 1), wait: EXPECTED.B.wait, staffing: ratio(0, 1), training: ratio(0, 0) });
    expect(b!.satisfaction).toEqual({ ratings: 0, minRatings: 5, mean: null });
  });

  it('judges only the steps whose deadline has passed or that are done', async () => {
    const { data } = await scorecards(undefined, { year: YEAR, districts: [A] }, new Date(`${YEAR}-09-01T12:00:00+08:00`));
    expect(data!.districtScorecards[0]!.onTimeHandling).toEqual(ratio(EXPECTED.A.onTimeMidYear.numerator, EXPECTED.A.onTimeMidYear.denominator));
  });

  it('hides the mean satisfaction below the formula’s minimum number of ratings, and shows it from there on', async () => {
    const before = await scorecards(undefined, { year: YEAR, districts: [A] });
    expect(before.data!.districtScorecards[0]!.satisfaction).toEqual({ ratings: 3, minRatings: 5, mean: null });
    // A new formula in force with a minimum of 3: the three ratings (5, 4, 3) now show their mean.
    await hub.db.insert(evaluationFormulas).values({ satisfactionWeight: 0.4, serviceEffectWeight: 0.3, managementWeight: 0.15, socialImpactWeight: 0.15, minRatings: 3, createdBy: 'test' });
    const after = await scorecards(undefined, { year: YEAR, districts: [A] });
    expect(after.data!.districtScorecards[0]!.satisfaction).toEqual({ ratings: 3, minRatings: 3, mean: 4 });
  });

  it('counts nothing in another year', async () => {
    const { data } = await scorecards(undefined, { year: YEAR - 5, districts: [A] });
    expect(data!.districtScorecards[0]).toMatchObject({ onTimeHandling: ratio(0, 0), matching: ratio(0, 0), wait: { answeredNeeds: 0, stillWaiting: 0, medianDays: null }, satisfaction: { ratings: 0, mean: null } });
    // Staffing is read as of now, whatever the year.
    expect(data!.districtScorecards[0]!.staffing).toEqual(ratio(1, 3));
  });

  it('refuses a year out of range with the field named', async () => {
    const { errors } = await scorecards(undefined, { year: 20251, districts: [A] });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['year'] });
  });

  it('answers in one statement per query, whatever the number of districts', async () => {
    const one = await scorecards(undefined, { year: YEAR, districts: [A] });
    const two = await scorecards(undefined, { year: YEAR, districts: [A, B] });
    expect(two.statements).toBe(one.statements);
  });
});

describe('the dashboard counts', () => {
  it('counts open needs by urgency and waiting band as of the request', async () => {
    const { data, errors } = await hub.run<{ openNeedCounts: { district: { id: string }; urgency: string; waitingBand: string; needs: number }[] }>(
      'query($districts: [ID!]) { openNeedCounts(districts: $districts) { district { id } urgency waitingBand needs } }',
      { districts: [A, B] },
      { now: NOW },
    );
    expect(errors).toBeUndefined();
    const sums: Record<string, Record<string, number>> = {};
    for (const row of data!.openNeedCounts) {
      sums[row.urgency] ??= {};
      sums[row.urgency]![row.waitingBand] = (sums[row.urgency]![row.waitingBand] ?? 0) + row.needs;
    }
    expect(sums).toEqual(EXPECTED.openNeeds);
    expect(data!.openNeedCounts.filter((r) => r.district.id === B)).toEqual([{ district: { id: B }, urgency: 'LOW', waitingBand: 'DAYS_OVER_90', needs: 1 }]);
  });

  it('counts the referrals proposed in the year by their state now', async () => {
    const { data, errors } = await hub.run<{ referralCountsByState: { district: { id: string }; status: string; referrals: number }[] }>(
      'query($year: Int!, $districts: [ID!]) { referralCountsByState(year: $year, districts: $districts) { district { id } status referrals } }',
      { year: YEAR, districts: [A, B] },
    );
    expect(errors).toBeUndefined();
    const of = (district: string) => Object.fromEntries(data!.referralCountsByState.filter((r) => r.district.id === district).map((r) => [r.status, r.referrals]));
    expect(of(A)).toEqual(EXPECTED.A.referralsByState);
    expect(of(B)).toEqual(EXPECTED.B.referralsByState);
  });
});

describe('who may read the scorecards and counts', () => {
  it('shows a district bureau its own districts only', async () => {
    const bureauA = principal([Role.DISTRICT_CIVIL_AFFAIRS], { districtIds: [world.placeA.districtId] });
    const own = await scorecards(bureauA, { year: YEAR });
    expect(own.errors).toBeUndefined();
    expect(own.data!.districtScorecards.map((c) => c.district.id)).toEqual([A]);
    // Asking for another district narrows to nothing rather than showing it.
    const other = await scorecards(bureauA, { year: YEAR, districts: [B] });
    expect(other.data!.districtScorecards).toEqual([]);
    const counts = await hub.run<{ openNeedCounts: { district: { id: string } }[]; referralCountsByState: { district: { id: string } }[] }>(
      'query { openNeedCounts { district { id } } referralCountsByState(year: 2025) { district { id } } }',
      {},
      { viewer: bureauA, now: NOW },
    );
    expect(new Set([...counts.data!.openNeedCounts, ...counts.data!.referralCountsByState].map((r) => r.district.id))).toEqual(new Set([A]));
  });

  it('shows the city bureau every district', async () => {
    const { data } = await scorecards(principal([Role.CITY_CIVIL_AFFAIRS]), { year: YEAR });
    expect(data!.districtScorecards.map((c) => c.district.id)).toEqual(expect.arrayContaining([A, B]));
  });

  it('refuses the public, and roles without the grant', async () => {
    const anonymous = await scorecards(PUBLIC_PRINCIPAL, { year: YEAR });
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const street = await scorecards(principal([Role.STREET_OFFICER], { streetIds: [world.placeA.streetId] }), { year: YEAR });
    expect(street.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const query of ['{ openNeedCounts { needs } }', '{ referralCountsByState(year: 2025) { referrals } }']) {
      const { errors } = await hub.run(query, {}, { viewer: PUBLIC_PRINCIPAL });
      expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
