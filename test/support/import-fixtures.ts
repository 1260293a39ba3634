import type { Database } from '../../src/db/client';
import { committees, districts, streets } from '../../src/db/schema';

/**
 * The few real Shanghai places the import tests name in their files (and the template's example
 * row names 浦东新区): two districts, a street in each, and a committee in Lujiazui.
 */
export async function makeImportGeography(db: Database): Promise<void> {
  const [pudong] = await db.insert(districts).values({ code: '310115', nameZh: '浦东新区', nameEn: 'Pudong New Area' }).returning();
  const [xuhui] = await db.insert(districts).values({ code: '310104', nameZh: '徐汇区', nameEn: 'Xuhui District' }).returning();
  const [lujiazui] = await db.insert(streets).values({ districtId: pudong!.id, kind: 'STREET', nameZh: '陆家嘴街道', nameEn: 'Lujiazui Subdistrict' }).returning();
  await db.insert(streets).values({ districtId: xuhui!.id, kind: 'STREET', nameZh: '天平路街道', nameEn: 'Tianping Road Subdistrict' });
  await db.insert(committees).values({ streetId: lujiazui!.id, districtId: pudong!.id, kind: 'RESIDENTS', nameZh: '梅园一村居委会', nameEn: 'Meiyuan No. 1 Committee' });
}
