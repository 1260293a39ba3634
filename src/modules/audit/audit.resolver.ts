import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import type { AuditChainStatus as ChainStatus } from './audit.chain';
import { checkAuditChain, searchAuditLog } from './audit.service';
import { AuditChainStatus, AuditEntry, AuditEntryConnection, AuditEntryFilter } from './audit.types';

function toStatus(status: ChainStatus): AuditChainStatus {
  return status.ok
    ? { ok: true, entries: status.entries, lastId: status.lastId === null ? null : String(status.lastId), lastHash: status.lastId === null ? null : status.lastHash, firstBrokenId: null, reason: null, message: null }
    : { ok: false, entries: status.entries, lastId: null, lastHash: null, firstBrokenId: String(status.firstBrokenId), reason: status.reason, message: status.message };
}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: 'The audit log, newest first, searched by actor, entity (e.g. a person), purpose, action and period. Auditors and city civil affairs only.' })
  async auditEntries(
    @Arg('filter', () => AuditEntryFilter, { nullable: true, description: 'Which entries to list.' }) filter: AuditEntryFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<AuditEntry>> {
    return toConnection(AuditEntryConnection, AuditEntry, await searchAuditLog(ctx.db, ctx.viewer, filter ?? {}, page, ctx.config.maxPageSize));
  }

  @Query(() => AuditChainStatus, { description: 'Checks every entry of the audit log against its hash and the one before it, and reports the first broken link. Reads the whole log. Auditors and city civil affairs only.' })
  async verifyAuditChain(@Ctx() ctx: HubContext): Promise<AuditChainStatus> {
    return toStatus(await checkAuditChain(ctx.db, ctx.viewer));
  }
}
