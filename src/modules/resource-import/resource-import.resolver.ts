import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { badInput } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { toModels } from '../common/node.type';
import { Resource } from '../resources/resources.types';
import { importHsdsDocument } from './hsds.service';
import { importResourceSheet, type ImportOutcome } from './resource-import.service';
import { ImportFormat, ImportResourcesInput, ImportResourcesPayload } from './resource-import.types';

export function toPayload(outcome: ImportOutcome): ImportResourcesPayload {
  return {
    ok: outcome.issues.length === 0,
    committed: outcome.committed,
    dryRun: outcome.dryRun,
    totalRows: outcome.totalRows,
    importedRows: outcome.importedRows,
    refusedRows: outcome.refusedRows,
    issues: [...outcome.issues],
    warnings: [...outcome.warnings],
    resources: toModels(Resource, [...outcome.resources]),
  };
}

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

@Resolver()
export class ResourceImportResolver {
  @Mutation(() => ImportResourcesPayload, {
    description:
      'Posts resources in bulk (批量导入) from a CSV or XLSX sheet (template: GET /templates/resources.csv or .xlsx) or an HSDS 3.0 JSON document. Every row goes through the checks of createResource and is audited like it; the answer lists each bad row by line, column and reason. All or nothing unless allowPartial.',
  })
  async importResources(@Arg('input', () => ImportResourcesInput, { description: 'The file and how to import it.' }) input: ImportResourcesInput, @Ctx() ctx: HubContext): Promise<ImportResourcesPayload> {
    const options = { allowPartial: input.allowPartial, dryRun: input.dryRun, limits: ctx.config.imports };
    if (input.format === ImportFormat.HSDS_JSON) return toPayload(await importHsdsDocument(ctx.db, ctx, input.content, input.provider ?? null, options));
    if (!input.provider) throw badInput(['input', 'provider'], 'provider is required for CSV and XLSX imports: the Organization the resources belong to');
    if (input.format === ImportFormat.XLSX && !BASE64.test(input.content)) throw badInput(['input', 'content'], 'content of an XLSX import must be the file in base64');
    const bytes = input.format === ImportFormat.XLSX ? Buffer.from(input.content, 'base64') : Buffer.from(input.content, 'utf8');
    return toPayload(await importResourceSheet(ctx.db, ctx, { format: input.format, bytes }, input.provider, options));
  }
}
