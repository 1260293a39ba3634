import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Resource } from '../resources/resources.types';
import { ImportIssueCode } from './resource-import.codes';

export enum ImportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
  HSDS_JSON = 'HSDS_JSON',
}
registerEnumType(ImportFormat, {
  name: 'ImportFormat',
  description: 'The form of a bulk import file.',
  valuesConfig: {
    CSV: { description: 'CSV (RFC 4180), UTF-8 or GB18030, header in Chinese or English; content is the text.' },
    XLSX: { description: 'An Excel workbook, first worksheet; content is the file in base64.' },
    HSDS_JSON: { description: 'An Open Referral HSDS 3.0 JSON document (organizations with their services); content is the JSON text.' },
  },
});

@InputType({ description: 'A bulk import of resources (批量导入). Nothing is written unless every row is valid, unless allowPartial.' })
export class ImportResourcesInput {
  @Field(() => ImportFormat, { description: 'The form of the content.' })
  format!: ImportFormat;

  @Field({ description: 'The file: CSV or HSDS JSON as text, XLSX in base64. Bounded by HUB_IMPORT_MAX_BYTES and by the request body limit (HUB_MAX_BODY_BYTES); bigger files go to POST /import/resources.' })
  content!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The provider (Organization) the resources belong to: required for CSV and XLSX; for HSDS it overrides the organizations the document names.',
  })
  provider?: string | null;

  @Field({ defaultValue: false, description: 'Write the valid rows even when some are refused (by default all or nothing).' })
  allowPartial!: boolean;

  @Field({ defaultValue: false, description: 'Check every row and answer as an import would, but write nothing.' })
  dryRun!: boolean;
}

@ObjectType({ description: 'One refusal of an import (or, among warnings, one thing ignored).' })
export class ImportIssue {
  @Field(() => Int, { nullable: true, description: 'Spreadsheet line (the header is line 1), or the position of the HSDS service (1 = first); null when about the whole file.' })
  line!: number | null;

  @Field(() => String, { nullable: true, description: 'The column header as written in the file (or the missing column), or the HSDS path; null when about the whole file.' })
  column!: string | null;

  @Field(() => ImportIssueCode, { description: 'Stable machine-readable reason.' })
  code!: ImportIssueCode;

  @Field({ description: 'Human-readable explanation, safe to show.' })
  message!: string;
}

@ObjectType({ description: 'What a bulk import did.' })
export class ImportResourcesPayload {
  @Field({ description: 'True when nothing was refused (a dry run included).' })
  ok!: boolean;

  @Field({ description: 'Whether resources were written: false for a dry run, and for an all-or-nothing import with a refused row.' })
  committed!: boolean;

  @Field({ description: 'Whether this was a dry run.' })
  dryRun!: boolean;

  @Field(() => Int, { description: 'Data rows (or HSDS services) read.' })
  totalRows!: number;

  @Field(() => Int, { description: 'Rows written (or, in a dry run or a refused all-or-nothing import, that were valid).' })
  importedRows!: number;

  @Field(() => Int, { description: 'Rows refused.' })
  refusedRows!: number;

  @Field(() => [ImportIssue], { description: 'Every refusal: each bad row with its line, column and reason, or what refused the whole file.' })
  issues!: ImportIssue[];

  @Field(() => [ImportIssue], { description: 'What was ignored: unknown columns, HSDS fields the hub has no place for.' })
  warnings!: ImportIssue[];

  @Field(() => [Resource], { description: 'The resources written; empty unless committed.' })
  resources!: Resource[];
}
