import { toGlobalId } from '../../common/global-id';

/** Reference data an import resolves names against, loaded once per import. */
export interface CategoryRef {
  readonly id: number;
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly description: string | null;
}

export interface DistrictRef {
  readonly id: number;
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

export interface StreetRef {
  readonly id: number;
  readonly districtId: number;
  readonly nameZh: string;
  readonly nameEn: string;
}

export interface CommitteeRef {
  readonly id: number;
  readonly streetId: number;
  readonly districtId: number;
  readonly nameZh: string;
  readonly nameEn: string;
}

export interface ReferenceData {
  readonly categories: readonly CategoryRef[];
  readonly districts: readonly DistrictRef[];
  readonly streets: readonly StreetRef[];
  readonly committees: readonly CommitteeRef[];
}

export type Lookup<T> = { found: T } | { missing: 'NOT_FOUND' | 'AMBIGUOUS'; message: string };

const key = (text: string): string => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    for (const k of new Set(keysOf(item).map(key))) {
      const list = map.get(k);
      if (list) list.push(item);
      else map.set(k, [item]);
    }
  }
  return map;
}

/** The separators a path of area names may use: 浦东新区/陆家嘴街道/梅园一村居委会. */
const PATH_SEPARATOR = /\s*[/／>＞]\s*/;

/**
 * Resolves what people write in a spreadsheet or another directory to catalogue items and areas:
 * a catalogue item by code or by its Chinese or English name; an area by district code, by a path
 * of names from the district down, or by a bare street or committee name that is unique in the city.
 */
export class ReferenceIndex {
  private readonly categoriesByKey: Map<string, CategoryRef[]>;
  private readonly districtsByKey: Map<string, DistrictRef[]>;
  private readonly streetsByKey: Map<string, StreetRef[]>;
  private readonly committeesByKey: Map<string, CommitteeRef[]>;
  private readonly districtsById: Map<number, DistrictRef>;
  private readonly streetsById: Map<number, StreetRef>;
  private readonly committeesById: Map<number, CommitteeRef>;

  constructor(readonly data: ReferenceData) {
    this.categoriesByKey = groupBy(data.categories, (c) => [c.code, c.nameZh, c.nameEn]);
    this.districtsByKey = groupBy(data.districts, (d) => [d.code, d.nameZh, d.nameEn]);
    this.streetsByKey = groupBy(data.streets, (s) => [s.nameZh, s.nameEn]);
    this.committeesByKey = groupBy(data.committees, (c) => [c.nameZh, c.nameEn]);
    this.districtsById = new Map(data.districts.map((d) => [d.id, d]));
    this.streetsById = new Map(data.streets.map((s) => [s.id, s]));
    this.committeesById = new Map(data.committees.map((c) => [c.id, c]));
  }

  category(text: string): Lookup<CategoryRef> {
    return single(this.categoriesByKey.get(key(text)), `No catalogue item has the code or name "${text}"`, `More than one catalogue item is named "${text}": write its code`);
  }

  /** The global ID of the area a text names (a District, Street or Committee ID). */
  area(text: string): Lookup<string> {
    const parts = text.split(PATH_SEPARATOR).filter((part) => part !== '');
    if (parts.length === 0 || parts.length > 3) return { missing: 'NOT_FOUND', message: `"${text}" is not an area: write 区, 区/街道 or 区/街道/居委会` };
    if (parts.length === 1) return this.singleName(parts[0]!);
    const district = single(this.districtsByKey.get(key(parts[0]!)), `No district is named "${parts[0]}"`, `More than one district is named "${parts[0]}": write its code`);
    if ('missing' in district) return district;
    const street = single(
      (this.streetsByKey.get(key(parts[1]!)) ?? []).filter((s) => s.districtId === district.found.id),
      `${district.found.nameZh} has no street or town named "${parts[1]}"`,
      `${district.found.nameZh} has more than one street named "${parts[1]}"`,
    );
    if ('missing' in street) return street;
    if (parts.length === 2) return { found: toGlobalId('Street', street.found.id) };
    const committee = single(
      (this.committeesByKey.get(key(parts[2]!)) ?? []).filter((c) => c.streetId === street.found.id),
      `${street.found.nameZh} has no committee named "${parts[2]}"`,
      `${street.found.nameZh} has more than one committee named "${parts[2]}"`,
    );
    return 'missing' in committee ? committee : { found: toGlobalId('Committee', committee.found.id) };
  }

  private singleName(name: string): Lookup<string> {
    const districts = this.districtsByKey.get(key(name)) ?? [];
    if (districts.length === 1) return { found: toGlobalId('District', districts[0]!.id) };
    const streets = this.streetsByKey.get(key(name)) ?? [];
    const committees = this.committeesByKey.get(key(name)) ?? [];
    const matches = districts.length + streets.length + committees.length;
    if (matches === 0) return { missing: 'NOT_FOUND', message: `No district, street or committee is named "${name}"` };
    if (matches > 1) return { missing: 'AMBIGUOUS', message: `More than one area is named "${name}": write the path from the district, e.g. 区/街道/居委会` };
    return streets.length === 1 ? { found: toGlobalId('Street', streets[0]!.id) } : { found: toGlobalId('Committee', committees[0]!.id) };
  }

  /** The path of names that `area` resolves back to the same place: 区, 区/街道 or 区/街道/居委会. */
  areaPath(entry: { districtId: number; streetId: number | null; committeeId: number | null }): string {
    const district = this.districtsById.get(entry.districtId)?.nameZh ?? `#${entry.districtId}`;
    if (entry.streetId === null) return district;
    const street = this.streetsById.get(entry.streetId)?.nameZh ?? `#${entry.streetId}`;
    if (entry.committeeId === null) return `${district}/${street}`;
    const committee = this.committeesById.get(entry.committeeId)?.nameZh ?? `#${entry.committeeId}`;
    return `${district}/${street}/${committee}`;
  }

  categoryById(id: number): CategoryRef | undefined {
    return this.data.categories.find((c) => c.id === id);
  }
}

function single<T>(matches: readonly T[] | undefined, notFound: string, ambiguous: string): Lookup<T> {
  if (!matches || matches.length === 0) return { missing: 'NOT_FOUND', message: notFound };
  if (matches.length > 1) return { missing: 'AMBIGUOUS', message: ambiguous };
  return { found: matches[0]! };
}
