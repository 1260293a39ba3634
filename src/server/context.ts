import { randomUUID } from 'node:crypto';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { PUBLIC_PRINCIPAL, type Principal } from '../auth/principal';
import { visibilitiesOf, type Visibilities } from '../auth/visibility';
import { createAuditTrail, type AuditTrail, type AuditWriter } from '../auth/audit-trail';
import { writeAuditRecords } from '../modules/audit/audit.writer';
import { createLoaders, type Loaders } from './loaders';

/** Per-request state: built fresh for every operation, never kept on resolver classes. */
export interface HubContext {
  readonly db: Database;
  /**
   * Where reporting queries read (balances, dashboard counts, scorecards): a replica when
   * HUB_REPORTING_DATABASE_URL is set, else `db`. A replica lags its primary by a moment, which
   * a report can bear and casework cannot: nothing that checks before it writes reads here.
   */
  readonly reportingDb: Database;
  readonly config: HubConfig;
  readonly loaders: Loaders;
  readonly requestId: string;
  /** Who is asking; the public when no token came with the request. */
  readonly viewer: Principal;
  /** What the viewer may see of each scoped type; every read of those types is filtered by it. */
  readonly visible: Visibilities;
  /** The stated purpose of the request (the `X-Hub-Purpose` header): a Case ID, needed to read personal data in clear. */
  readonly purpose: string | undefined;
  /** Where clear reads of personal data are recorded before they are returned. */
  readonly audit: AuditTrail;
  /** The instant the request is handled at: what "today" means for deadlines (限时办理). */
  readonly now: Date;
}

export interface ContextOptions {
  readonly requestId?: string;
  readonly viewer?: Principal;
  readonly purpose?: string;
  /** Replaces the audit log writer (tests that inspect what was audited). */
  readonly auditWriter?: AuditWriter;
  /** Handles the request as of this instant (tests that read deadlines on a fixed day). */
  readonly now?: Date;
  /** The reporting replica (HUB_REPORTING_DATABASE_URL); `db` without one. */
  readonly reportingDb?: Database;
}

export function createContext(db: Database, config: HubConfig, options: ContextOptions = {}): HubContext {
  const viewer = options.viewer ?? PUBLIC_PRINCIPAL;
  const visible = visibilitiesOf(viewer);
  const requestId = options.requestId ?? randomUUID();
  const auditWriter = options.auditWriter ?? ((records) => writeAuditRecords(db, records));
  return {
    db,
    reportingDb: options.reportingDb ?? db,
    config,
    viewer,
    visible,
    purpose: options.purpose,
    loaders: createLoaders(db, visible, config.maxPageSize),
    requestId,
    audit: createAuditTrail(auditWriter, viewer, options.purpose, requestId),
    now: options.now ?? new Date(),
  };
}
