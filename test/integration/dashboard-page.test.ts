import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Role } from '../../src/auth/roles';
import { issueDevelopmentToken } from '../../src/auth/tokens';
import { todayInShanghai } from '../../src/common/dates';
import { loadConfig } from '../../src/config';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { ensureChromium } from '../support/chromium';
import { buildDashboardWorld, EXPECTED, type DashboardWorld } from '../support/dashboard-world';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { gid } from '../support/factories';

/**
 * The dashboard in a real browser: Debian's headless Chromium (installed when missing), driven by
 * playwright-core, loads /dashboard from a hub serving a small hand-counted world, takes a
 * district bureau's token and draws its charts. Each number drawn is checked against the world's
 * hand count and against the hub's own GraphQL answer for the same data.
 */

/** Last year: every step due in it has passed, whatever today is. */
const YEAR = Number(todayInShanghai().slice(0, 4)) - 1;

let database: TestDatabase;
let hub: RunningHub;
let base: string;
let browser: Browser;
let page: Page;
let world: DashboardWorld;
let token: string;
let A: string;
let B: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-dashboard-'));
const problems: string[] = [];

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** The data-* attributes of every element matching the selector, in document order. */
const datasets = (selector: string): Promise<Record<string, string>[]> => page.$$eval(selector, (nodes) => nodes.map((node) => ({ ...(node as unknown as { dataset: Record<string, string> }).dataset })));

async function loadDashboard(year: number): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.fill('#token', token);
  await page.fill('#year', String(year));
  await page.click('#load');
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  database = await openTestDatabase();
  world = await buildDashboardWorld(database.handle.db, YEAR, new Date());
  A = gid('District', world.placeA.districtId);
  B = gid('District', world.placeB.districtId);
  const config = { ...loadConfig({ HUB_DEV_SECRET_FILE: path.join(dataDir, 'dev-jwt-secret') }), host: '127.0.0.1', port: 0 };
  hub = await startHttpServer(database.handle.db, config);
  base = `http://127.0.0.1:${hub.port}`;
  token = await issueDevelopmentToken(config.auth, { roles: [Role.DISTRICT_CIVIL_AFFAIRS], districts: [A, B], sub: 'district-bureau' }, '15m');
  // Chromium refuses its sandbox as root (the test machines run as root).
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    // The last test's bad token is refused on purpose; anything else failing is a problem.
    if (response.status() >= 400 && !response.url().endsWith('/graphql')) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) problems.push(`request outside the hub: ${request.url()}`);
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard page in headless Chromium', () => {
  it('is served with a Content-Security-Policy that allows only the hub itself', async () => {
    const response = await page.goto(`${base}/dashboard`);
    expect(response!.status()).toBe(200);
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    expect(await page.getAttribute('body', 'data-state')).toBe('idle');
    const operations = await fetch(`${base}/dashboard/operations.graphql`);
    expect(await operations.text()).toBe(fs.readFileSync(path.resolve(__dirname, '../../schema/operations/dashboard.graphql'), 'utf8'));
    expect((await fetch(`${base}/dashboard/../package.json`)).status).toBe(404);
  });

  it('draws the heat map of supply less need, shortages in red, with the right numbers', async () => {
    await loadDashboard(YEAR);
    // DASHBOARD_SCREENSHOT=file.png keeps a picture of the loaded page, to look at.
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    const cells = await datasets('#balance-map g.cell');
    // The bureau's two districts, each with every active catalogue item.
    expect(new Set(cells.map((c) => c.districtId))).toEqual(new Set([A, B]));
    expect(cells).toHaveLength(20);
    const cell = (district: string, category: number) => cells.find((c) => c.districtId === district && c.categoryId === gid('ServiceCategory', category))!;
    const { care, counselling } = world.categories;
    for (const [district, key] of [[A, 'A'], [B, 'B']] as const) {
      for (const [category, name] of [[care, 'care'], [counselling, 'counselling']] as const) {
        const expected = EXPECTED.balance[key][name];
        expect(cell(district, category)).toMatchObject({ openUnits: String(expected.openUnits), freeUnits: String(expected.freeUnits), balance: String(expected.freeUnits - expected.openUnits) });
      }
    }
    expect(cell(A, care).shortage).toBe('true');
    expect(cell(A, counselling).shortage).toBe('false');
    expect(cell(B, care).shortage).toBe('true');
    // A shortage is drawn red: more red than green in its fill.
    const fill = await page.$eval(`#balance-map g.cell[data-district-id="${A}"][data-category-id="${gid('ServiceCategory', care)}"] rect`, (rect) => rect.getAttribute('fill')!);
    const [red, green] = /rgb\((\d+),(\d+),(\d+)\)/.exec(fill)!.slice(1).map(Number);
    expect(red!).toBeGreaterThan(green! + 60);
    // Every cell agrees with the hub's own answer for the same districts.
    const { supplyDemandBalance } = await graphql<{ supplyDemandBalance: { district: { id: string }; category: { id: string }; openUnits: number; freeUnits: number }[] }>(
      'query($d: [ID!]) { supplyDemandBalance(districts: $d) { district { id } category { id } openUnits freeUnits } }',
      { d: [A, B] },
    );
    expect(cells.map((c) => [c.districtId, c.categoryId, Number(c.openUnits), Number(c.freeUnits)]).sort()).toEqual(
      supplyDemandBalance.map((s) => [s.district.id, s.category.id, s.openUnits, s.freeUnits]).sort(),
    );
    // The number printed in the cell is its balance.
    const printed = await page.$eval(`#balance-map g.cell[data-district-id="${A}"][data-category-id="${gid('ServiceCategory', care)}"] text`, (text) => text.textContent);
    expect(printed).toBe('-4');
  });

  it('draws open needs by urgency and waiting band', async () => {
    const bars = await datasets('#open-needs-bars g.bar');
    expect(bars).toHaveLength(16);
    for (const bar of bars) {
      const expected = (EXPECTED.openNeeds[bar.urgency as keyof typeof EXPECTED.openNeeds] as Record<string, number>)[bar.band!] ?? 0;
      expect([bar.urgency, bar.band, Number(bar.count)]).toEqual([bar.urgency, bar.band, expected]);
    }
    const label = await page.$eval('#open-needs-bars g.bar[data-urgency="HIGH"][data-band="DAYS_8_30"] text', (text) => text.textContent);
    expect(label).toBe('2');
  });

  it('draws the overdue intake steps per district', async () => {
    const bars = await datasets('#overdue-bars g.bar');
    expect(Object.fromEntries(bars.map((b) => [b.districtId, Number(b.count)]))).toEqual({ [A]: EXPECTED.A.overdueSteps, [B]: EXPECTED.B.overdueSteps });
    const { applicationDeadlineSummary } = await graphql<{ applicationDeadlineSummary: { district: { id: string }; overdue: number }[] }>(
      'query($d: [ID!]) { applicationDeadlineSummary(groupBy: DISTRICT, filter: { districts: $d }) { district { id } overdue } }',
      { d: [A, B] },
    );
    expect(applicationDeadlineSummary.find((g) => g.district.id === A)?.overdue).toBe(EXPECTED.A.overdueSteps);
  });

  it('draws the referrals of the year by state', async () => {
    const bars = await datasets('#referral-bars g.bar');
    const drawn = Object.fromEntries(bars.filter((b) => Number(b.count) > 0).map((b) => [b.status, Number(b.count)]));
    expect(drawn).toEqual({ ...EXPECTED.A.referralsByState, ...EXPECTED.B.referralsByState });
    expect(bars.map((b) => b.status)).toEqual(['PROPOSED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'TRANSFERRED']);
  });

  it('fills the scorecard table with each measure’s numerator and denominator', async () => {
    const rows = await datasets('#scorecards-table tbody tr');
    expect(rows.map((r) => [r.districtId, r.year])).toEqual([
      [A, String(YEAR)],
      [B, String(YEAR)],
    ]);
    const measures = async (district: string) => Object.fromEntries((await datasets(`#scorecards-table tr[data-district-id="${district}"] td`)).map((d) => [d.measure, d]));
    const a = await measures(A);
    for (const key of ['onTime', 'matching', 'staffing', 'training'] as const) {
      const measure = key === 'onTime' ? 'onTimeHandling' : key;
      const expected = EXPECTED.A[key];
      expect([measure, a[measure]!.numerator, a[measure]!.denominator]).toEqual([measure, String(expected.numerator), String(expected.denominator)]);
    }
    expect(a.wait).toMatchObject({ medianDays: '4.5', answeredNeeds: '3', stillWaiting: '2' });
    // Three ratings, fewer than the formula's five: the mean stays hidden.
    expect(a.satisfaction).toMatchObject({ ratings: '3', minRatings: '5', mean: '' });
    const b = await measures(B);
    expect(b.training).toMatchObject({ numerator: '0', denominator: '0', rate: '' });
    expect(b.onTimeHandling).toMatchObject({ numerator: '1', denominator: '1', rate: '1' });
    // What a person reads agrees with the attributes.
    const text = await page.$eval(`#scorecards-table tr[data-district-id="${A}"] td[data-measure="onTimeHandling"]`, (td) => td.textContent);
    expect(text).toBe('40.0%2 / 5');
    const wait = await page.$eval(`#scorecards-table tr[data-district-id="${A}"] td[data-measure="wait"] .rate`, (span) => span.textContent);
    expect(wait).toBe('4.5 d');
  });

  it('keeps the token for the tab and reloads by itself; another year reads other numbers', async () => {
    expect(await page.evaluate("sessionStorage.getItem('hub.dashboard.token')")).toBe(token);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    // The year picker starts at the current year, where A has one step due (5 January, done early).
    expect(await page.inputValue('#year')).toBe(String(YEAR + 1));
    const a = Object.fromEntries((await datasets(`#scorecards-table tr[data-district-id="${A}"] td`)).map((d) => [d.measure, d]));
    expect(a.onTimeHandling).toMatchObject({ numerator: '1', denominator: '1' });
    expect(a.staffing).toMatchObject({ numerator: '1', denominator: '3' });
    expect(problems).toEqual([]);
  });

  it('shows the hub’s refusal when the token is not valid, and forgets the token on request', async () => {
    await page.click('#forget');
    expect(await page.evaluate("sessionStorage.getItem('hub.dashboard.token')")).toBeNull();
    await page.fill('#token', 'not-a-token');
    await page.click('#load');
    await page.waitForSelector('body[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status')).toContain('UNAUTHENTICATED');
  });
});
