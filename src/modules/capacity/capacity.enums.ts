import { registerEnumType } from 'type-graphql';

/** Kept apart from the other capacity types so StaffMember can use it without an import cycle. */
export enum AssistanceRole {
  ASSISTANT = 'ASSISTANT',
  COORDINATOR = 'COORDINATOR',
}
registerEnumType(AssistanceRole, {
  name: 'AssistanceRole',
  description: 'Assistance work assigned to a staff member (§2(2),(3)).',
  valuesConfig: {
    ASSISTANT: { description: 'Social assistance assistant (社会救助助理员) of a street or town.' },
    COORDINATOR: { description: "Social assistance coordinator (社会救助协理员) of a residents' or villagers' committee; serves one committee." },
  },
});

export enum ReviewOutcome {
  CONTINUED = 'CONTINUED',
  ADJUSTED = 'ADJUSTED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(ReviewOutcome, {
  name: 'ReviewOutcome',
  description: 'What a periodic review (动态管理) of an assisted household decided.',
  valuesConfig: {
    CONTINUED: { description: 'Assistance continues unchanged (继续保障).' },
    ADJUSTED: { description: 'Assistance continues with a changed amount or status (调整).' },
    TERMINATED: { description: 'Assistance ends (停止保障); no further review is due. The household record’s statuses are changed separately.' },
  },
});
