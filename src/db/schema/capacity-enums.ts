import { pgEnum } from 'drizzle-orm/pg-core';

/** Assistance work assigned to a staff member: street-level assistant (助理员) or committee-level coordinator (协理员). */
export const assistanceRole = pgEnum('assistance_role', ['ASSISTANT', 'COORDINATOR']);
/** What a periodic review (动态管理) of an assisted household decided. */
export const reviewOutcome = pgEnum('review_outcome', ['CONTINUED', 'ADJUSTED', 'TERMINATED']);
