import { isIsoDate } from '../../common/dates';
import { toGlobalId } from '../../common/global-id';
import { AssistanceStatus } from '../households/households.types';
import { CapacityPeriod, ResourceCost, type CreateResourceInput } from '../resources/resources.types';
import type { ReferenceIndex } from './reference-index';
import { ImportIssueCode } from './resource-import.codes';

/** The fields of `CreateResourceInput` a spreadsheet column fills (the provider comes with the import, not per row). */
export type ColumnKey = Exclude<keyof CreateResourceInput, 'provider'>;

export interface ColumnSpec {
  readonly key: ColumnKey;
  readonly zh: string;
  readonly en: string;
  /** Further header spellings accepted, besides `zh` and `en`. */
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** What a cell holds, for the template's notes sheet and the README. */
  readonly help: string;
  /** The template's example cell. */
  readonly example: string;
}

const CAPACITY_PERIODS: Readonly<Record<string, CapacityPeriod>> = {
  一次性: CapacityPeriod.ONCE,
  每日: CapacityPeriod.DAY,
  每天: CapacityPeriod.DAY,
  日: CapacityPeriod.DAY,
  天: CapacityPeriod.DAY,
  每周: CapacityPeriod.WEEK,
  周: CapacityPeriod.WEEK,
  每月: CapacityPeriod.MONTH,
  月: CapacityPeriod.MONTH,
  每年: CapacityPeriod.YEAR,
  年: CapacityPeriod.YEAR,
};

const COSTS: Readonly<Record<string, ResourceCost>> = {
  免费: ResourceCost.FREE,
  政府购买: ResourceCost.CONTRACT_FUNDED,
  合同资助: ResourceCost.CONTRACT_FUNDED,
  补贴: ResourceCost.SUBSIDISED,
  部分补贴: ResourceCost.SUBSIDISED,
};

const STATUSES: Readonly<Record<string, AssistanceStatus>> = {
  低保: AssistanceStatus.MINIMUM_LIVING_ALLOWANCE,
  最低生活保障: AssistanceStatus.MINIMUM_LIVING_ALLOWANCE,
  低收入: AssistanceStatus.LOW_INCOME,
  低收入家庭: AssistanceStatus.LOW_INCOME,
  特困: AssistanceStatus.EXTREME_POVERTY_SUPPORT,
  特困供养: AssistanceStatus.EXTREME_POVERTY_SUPPORT,
  特困人员供养: AssistanceStatus.EXTREME_POVERTY_SUPPORT,
  支出型贫困: AssistanceStatus.EXPENDITURE_POVERTY,
};

/** Chinese labels the template and the HSDS export write for each enum value. */
export const CAPACITY_PERIOD_LABELS: Readonly<Record<CapacityPeriod, string>> = { ONCE: '一次性', DAY: '每天', WEEK: '每周', MONTH: '每月', YEAR: '每年' };
export const COST_LABELS: Readonly<Record<ResourceCost, string>> = { FREE: '免费', CONTRACT_FUNDED: '政府购买', SUBSIDISED: '补贴' };
export const STATUS_LABELS: Readonly<Record<AssistanceStatus, string>> = {
  MINIMUM_LIVING_ALLOWANCE: '低保',
  LOW_INCOME: '低收入',
  EXTREME_POVERTY_SUPPORT: '特困',
  EXPENDITURE_POVERTY: '支出型贫困',
};

const YES = new Set(['是', 'y', 'yes', 'true', '1', '公开', '√']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '不公开', '']);

/** The columns, in template order. Header cells may be written in Chinese, in English, or both ("名称 (name)"). */
export const RESOURCE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'title', zh: '名称', en: 'name', aliases: ['title', '标题', '资源名称'], required: true, help: '1–100 characters', example: '助餐送餐服务' },
  { key: 'category', zh: '类别', en: 'category', aliases: ['服务类别', '项目类别'], required: true, help: 'A catalogue item: its code (CARE_NURSING) or its Chinese or English name (照料护理)', example: '照料护理' },
  { key: 'description', zh: '描述', en: 'description', aliases: ['说明', '服务内容'], required: false, help: 'At most 2,000 characters', example: '为社区老人提供午餐，可送餐上门' },
  { key: 'capacity', zh: '容量', en: 'capacity', aliases: ['名额', '数量'], required: true, help: 'Units per period: a whole number from 0 to 1,000,000', example: '30' },
  {
    key: 'capacityPeriod',
    zh: '容量周期',
    en: 'capacity period',
    aliases: ['周期', 'period'],
    required: true,
    help: '一次性/每天/每周/每月/每年, or ONCE/DAY/WEEK/MONTH/YEAR',
    example: '每天',
  },
  {
    key: 'eligibleStatuses',
    zh: '服务对象',
    en: 'eligible statuses',
    aliases: ['救助类别', 'eligibility'],
    required: false,
    help: '低保、低收入、特困、支出型贫困 (or the English enum names), separated by ; or 、 — empty for every household',
    example: '低保；特困',
  },
  { key: 'minAge', zh: '最小年龄', en: 'min age', aliases: ['最低年龄', 'minimum age'], required: false, help: 'Whole years, 0 to 150', example: '60' },
  { key: 'maxAge', zh: '最大年龄', en: 'max age', aliases: ['最高年龄', 'maximum age'], required: false, help: 'Whole years, 0 to 150, not below the minimum', example: '' },
  { key: 'availableFrom', zh: '开始日期', en: 'available from', aliases: ['起始日期', 'start date'], required: true, help: 'A date: 2026-01-05 (2026/1/5 and spreadsheet dates are read too)', example: '2026-01-01' },
  { key: 'availableUntil', zh: '结束日期', en: 'available until', aliases: ['截止日期', 'end date'], required: false, help: 'A date not before the start; empty when open-ended', example: '' },
  { key: 'cost', zh: '费用', en: 'cost', aliases: ['收费'], required: false, help: '免费/政府购买/补贴, or FREE/CONTRACT_FUNDED/SUBSIDISED; empty means 免费', example: '免费' },
  { key: 'contactName', zh: '联系人', en: 'contact name', aliases: ['contact'], required: false, help: 'At most 50 characters', example: '服务站值班社工' },
  { key: 'contactPhone', zh: '联系电话', en: 'contact phone', aliases: ['电话', 'phone'], required: false, help: 'A mainland mobile number, or a fixed line with its area code (021-58881234)', example: '021-58881234' },
  { key: 'isPublic', zh: '公开', en: 'public', aliases: ['是否公开', 'is public'], required: false, help: '是/否 (yes/no); empty means 否: not listed in the public directory', example: '是' },
  {
    key: 'serviceArea',
    zh: '服务区域',
    en: 'service areas',
    aliases: ['服务范围', 'service area'],
    required: true,
    help: 'Areas separated by ; or 、 — each a district (浦东新区 or its code 310115), 区/街道, or 区/街道/居委会',
    example: '浦东新区',
  },
];

/** The header cell the template writes: both languages, which an import reads back. */
export const templateHeader = (column: ColumnSpec): string => `${column.zh} (${column.en})`;

const headerKey = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[\s_\-*]+/g, '');

const COLUMN_BY_HEADER = new Map<string, ColumnSpec>(
  RESOURCE_COLUMNS.flatMap((column) => [column.zh, column.en, column.key, ...column.aliases].map((name) => [headerKey(name), column] as const)),
);

/** The column a header cell names: the whole text, or either part of "中文 (English)" / "中文 / English". */
export function columnOfHeader(text: string): ColumnSpec | undefined {
  const whole = COLUMN_BY_HEADER.get(headerKey(text));
  if (whole) return whole;
  const parts = text
    .split(/[()（）/|]/)
    .map((part) => headerKey(part))
    .filter((part) => part !== '');
  const found = new Set(parts.map((part) => COLUMN_BY_HEADER.get(part)).filter((column) => column !== undefined));
  return found.size === 1 ? [...found][0] : undefined;
}

/** A problem with one cell, before the row reaches the resource's own validation. */
export interface CellIssue {
  readonly key: ColumnKey;
  readonly code: ImportIssueCode;
  readonly message: string;
}

const LIST_SEPARATOR = /\s*[;；、,，\n]\s*/;
const splitList = (text: string): string[] => text.split(LIST_SEPARATOR).filter((part) => part !== '');

function parseDate(text: string): string | undefined {
  const iso = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (iso) {
    const value = `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
    return isIsoDate(value) ? value : undefined;
  }
  return undefined;
}

function parseWhole(text: string): number | undefined {
  return /^[+]?\d{1,9}(\.0+)?$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function enumValue<T extends string>(text: string, labels: Readonly<Record<string, T>>, values: readonly T[]): T | undefined {
  const upper = text.toUpperCase().replace(/[\s-]+/g, '_');
  return labels[text] ?? values.find((value) => value === upper);
}

/**
 * Turns one row's cells into the input `createResource` takes. Cells that cannot be read become
 * issues, and their field gets a placeholder the resource's validation passes, so that it still
 * checks every other field of the row; the import drops what it says again about a field
 * already reported.
 */
export function rowToInput(cells: ReadonlyMap<ColumnKey, string>, provider: string, index: ReferenceIndex): { input: CreateResourceInput; issues: CellIssue[] } {
  const issues: CellIssue[] = [];
  const text = (key: ColumnKey): string => (cells.get(key) ?? '').trim();
  const issue = (key: ColumnKey, code: ImportIssueCode, message: string): void => {
    issues.push({ key, code, message });
  };
  const whole = (key: ColumnKey, required: boolean): number | null => {
    const raw = text(key);
    if (raw === '') {
      if (required) issue(key, ImportIssueCode.REQUIRED, 'A whole number is required');
      return required ? 0 : null;
    }
    const value = parseWhole(raw);
    if (value === undefined) issue(key, ImportIssueCode.INVALID, `"${raw}" is not a whole number`);
    return value ?? (required ? 0 : null);
  };
  const date = (key: ColumnKey, required: boolean): string | null => {
    const raw = text(key);
    if (raw === '') {
      if (required) issue(key, ImportIssueCode.REQUIRED, 'A date is required');
      return required ? '2000-01-01' : null;
    }
    const value = parseDate(raw);
    if (value === undefined) issue(key, ImportIssueCode.INVALID, `"${raw}" is not a date: write it as 2026-01-05`);
    return value ?? (required ? '2000-01-01' : null);
  };

  const categoryText = text('category');
  let category = '';
  if (categoryText === '') issue('category', ImportIssueCode.REQUIRED, 'A catalogue item is required');
  else {
    const found = index.category(categoryText);
    if ('found' in found) category = toGlobalId('ServiceCategory', found.found.id);
    else issue('category', ImportIssueCode[found.missing], found.message);
  }

  let capacityPeriod = CapacityPeriod.ONCE;
  const periodText = text('capacityPeriod');
  if (periodText === '') issue('capacityPeriod', ImportIssueCode.REQUIRED, 'A capacity period is required');
  else {
    const value = enumValue(periodText, CAPACITY_PERIODS, Object.values(CapacityPeriod));
    if (value) capacityPeriod = value;
    else issue('capacityPeriod', ImportIssueCode.INVALID, `"${periodText}" is not a period: write 一次性, 每天, 每周, 每月 or 每年`);
  }

  const eligibleStatuses: AssistanceStatus[] = [];
  for (const part of splitList(text('eligibleStatuses'))) {
    const value = enumValue(part, STATUSES, Object.values(AssistanceStatus));
    if (value) eligibleStatuses.push(value);
    else issue('eligibleStatuses', ImportIssueCode.INVALID, `"${part}" is not an assistance status: write 低保, 低收入, 特困 or 支出型贫困`);
  }

  let cost = ResourceCost.FREE;
  const costText = text('cost');
  if (costText !== '') {
    const value = enumValue(costText, COSTS, Object.values(ResourceCost));
    if (value) cost = value;
    else issue('cost', ImportIssueCode.INVALID, `"${costText}" is not a cost: write 免费, 政府购买 or 补贴`);
  }

  let isPublic = false;
  const publicText = text('isPublic').toLowerCase();
  if (YES.has(publicText)) isPublic = true;
  else if (!NO.has(publicText)) issue('isPublic', ImportIssueCode.INVALID, `"${text('isPublic')}" is neither 是 nor 否`);

  const serviceArea: { area: string }[] = [];
  for (const part of splitList(text('serviceArea'))) {
    const found = index.area(part);
    if ('found' in found) serviceArea.push({ area: found.found });
    else issue('serviceArea', ImportIssueCode[found.missing], found.message);
  }

  const optional = (key: ColumnKey): string | null => (text(key) === '' ? null : text(key));
  const input: CreateResourceInput = {
    provider,
    category,
    title: text('title'),
    description: optional('description'),
    capacity: whole('capacity', true)!,
    capacityPeriod,
    eligibleStatuses,
    minAge: whole('minAge', false),
    maxAge: whole('maxAge', false),
    availableFrom: date('availableFrom', true)!,
    availableUntil: date('availableUntil', false),
    cost,
    contactName: optional('contactName'),
    contactPhone: optional('contactPhone'),
    isPublic,
    serviceArea,
  };
  return { input, issues };
}
