import { ensureDemoData } from '../../src/db/seed/seed';
import { startTestHub, type TestHub } from '../support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await ensureDemoData(hub.database.handle);
}, 120_000);
afterAll(() => hub.close());

it('prints', async () => {
  const r = await hub.run<any>(`{ applicationDeadlineSummary(groupBy: DISTRICT) { openSteps overdue dueSoon escalated completedSteps completedOnTime onTimeRate } applicationDeadlines(first: 100, filter: {states: [DUE_SOON, OVERDUE, ON_TIME]}) { totalCount nodes { status enteredOn dueOn state workingDaysLeft } } }`);
  const sum = (k: string) => r.data.applicationDeadlineSummary.reduce((a: number, g: any) => a + g[k], 0);
  console.log(['openSteps', 'overdue', 'dueSoon', 'completedSteps', 'completedOnTime'].map((k) => `${k}=${sum(k)}`).join(' '));
  console.log(r.data.applicationDeadlines.nodes.map((n: any) => `${n.status} ${n.enteredOn} ${n.dueOn} ${n.state} ${n.workingDaysLeft}`).join('\n'));
});
