import { ensureDemoData } from '../../src/db/seed/seed';
import { startTestHub, type TestHub } from '../support/hub';

/** The demo data set gives its applications steps that agree with their history, some overdue and some nearly due. */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await ensureDemoData(hub.database.handle);
}, 120_000);
afterAll(() => hub.close());

interface App {
  status: string;
  currentStep: { status: string; state: string } | null;
  steps: { status: string; enteredOn: string; completedOn: string | null; dueOn: string | null }[];
  events: { nodes: { toStatus: string }[] };
}
const APPS = `query($first: Int) { applications(first: $first) { nodes { status currentStep { status state } steps { status enteredOn completedOn dueOn } events(first: 10) { nodes { toStatus } } } } }`;

it('gives every demo application one step per status it went through, the last one open', async () => {
  const result = await hub.run<{ applications: { nodes: App[] } }>(APPS, { first: 100 });
  expect(result.errors).toBeUndefined();
  const apps = result.data!.applications.nodes;
  expect(apps.length).toBeGreaterThan(10);
  for (const app of apps) {
    expect(app.steps.map((s) => s.status)).toEqual(app.events.nodes.map((e) => e.toStatus));
    expect(app.currentStep?.status).toBe(app.status);
    app.steps.forEach((step, i) => {
      expect(step.dueOn).not.toBeNull();
      expect(step.completedOn).toBe(app.steps[i + 1]?.enteredOn ?? null);
    });
  }
  // One statement per level, whatever the page size.
  const few = await hub.run(APPS, { first: 5 });
  expect(few.statements).toBe(result.statements);
});

it('has overdue and nearly due steps on the day it is seeded', async () => {
  const summary = await hub.run<{ applicationDeadlineSummary: { openSteps: number; overdue: number; dueSoon: number }[] }>(`{ applicationDeadlineSummary(groupBy: DISTRICT) { openSteps overdue dueSoon } }`);
  const total = (key: 'openSteps' | 'overdue' | 'dueSoon') => summary.data!.applicationDeadlineSummary.reduce((sum, group) => sum + group[key], 0);
  expect(total('overdue')).toBeGreaterThan(0);
  expect(total('dueSoon')).toBeGreaterThan(0);
});
