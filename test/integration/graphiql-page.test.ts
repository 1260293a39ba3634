import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startHttpServer, type RunningHub } from '../../src/server/http';
import { ensureChromium } from '../support/chromium';
import { openTestDatabase, type TestDatabase } from '../support/database';

/**
 * GraphiQL in a real browser: Debian's headless Chromium (installed when missing), driven by
 * playwright-core, opens /graphql on a hub with no internet behind it, runs the welcome query,
 * opens an example from the Examples panel and runs a subscription over graphql-ws.
 */

let database: TestDatabase;
let hub: RunningHub;
let base: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const sockets: string[] = [];

async function responseText(): Promise<string> {
  return (await page.textContent('.graphiql-response')) ?? '';
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  database = await openTestDatabase();
  hub = await startHttpServer(database.handle.db, { ...loadConfig({}), host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${hub.port}`;
  // Chromium refuses its sandbox as root (the test machines run as root).
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) problems.push(`request outside the hub: ${request.url()}`);
  });
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.goto(`${base}/graphql`);
  await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await database?.close();
});

describe('GraphiQL in headless Chromium', () => {
  it('opens with the welcome tab and the front-end tabs, with no error and no request outside the hub', async () => {
    const tabs = await page.$$eval('.graphiql-tab', (nodes) => nodes.map((node) => node.textContent?.replace(/icon$/, '').trim()));
    expect(tabs).toEqual(['ServiceCatalogue', 'NeedsInbox', 'ResourcePostingOptions', 'ProviderInbox', 'ProposeReferral', 'DashboardScorecards']);
    expect(problems).toEqual([]);
  });

  it('runs the welcome query as the public: headers still holding placeholders are not sent', async () => {
    await page.click('.graphiql-execute-button');
    await page.locator('.graphiql-response', { hasText: 'totalCount' }).waitFor({ timeout: 30_000 });
    const answer = await responseText();
    expect(answer).toContain('"serviceCategories"');
    expect(answer).toContain('"totalCount": 10');
    expect(problems).toEqual([]);
  });

  it('opens an example from the Examples panel in a new tab and runs the subscription over graphql-ws on /graphql', async () => {
    await page.click('button[aria-label="Show Examples"]');
    await page.click('button[data-example="ReferralProposed"]');
    // GraphiQL names a tab after its operation a moment after the text changes.
    await page.locator('.graphiql-tab', { hasText: 'ReferralProposed' }).waitFor({ timeout: 10_000 });
    const tabs = await page.$$eval('.graphiql-tab', (nodes) => nodes.map((node) => node.textContent?.replace(/icon$/, '').trim()));
    expect(tabs[tabs.length - 1]).toBe('ReferralProposed');
    await page.click('.graphiql-execute-button');
    // The example's variables name the provider as null: the hub's own validation answers over the socket.
    await page.locator('.graphiql-response', { hasText: 'provider' }).waitFor({ timeout: 30_000 });
    expect(await responseText()).toContain('Variable \\"$provider\\" of non-null type \\"ID!\\" must not be null.');
    expect(sockets).toEqual([`ws://127.0.0.1:${hub.port}/graphql`]);
    expect(problems).toEqual([]);
  });
});
