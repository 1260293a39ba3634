import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import {
  applicationsOfHouseholdLoader,
  checklistsOfTypes,
  discoveryReportsOfApplications,
  eventsOfApplicationLoader,
  findApplicationsByIds,
  findDiscoveryReportsByIds,
  findMaterialKindsByIds,
  findObjectionsByIds,
  handoffsOfApplicationLoader,
  materialsOfApplications,
  objectionsOfApplications,
  type ApplicationTypeValue,
} from './applications.repository';

export function createApplicationLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    application: new DataLoader((ids: readonly number[]) => findApplicationsByIds(db, visible.Application, ids)),
    applicationsOfHousehold: applicationsOfHouseholdLoader(db, visible.Application, maxPageSize),
    eventsOfApplication: eventsOfApplicationLoader(db, maxPageSize),
    handoffsOfApplication: handoffsOfApplicationLoader(db, maxPageSize),
    materialsOfApplication: new DataLoader((ids: readonly number[]) => materialsOfApplications(db, ids)),
    objectionsOfApplication: new DataLoader((ids: readonly number[]) => objectionsOfApplications(db, visible.PublicityObjection, ids)),
    publicityObjection: new DataLoader((ids: readonly number[]) => findObjectionsByIds(db, visible.PublicityObjection, ids)),
    discoveryReportOfApplication: new DataLoader((ids: readonly number[]) => discoveryReportsOfApplications(db, visible.DiscoveryReport, ids)),
    discoveryReport: new DataLoader((ids: readonly number[]) => findDiscoveryReportsByIds(db, visible.DiscoveryReport, ids)),
    materialKind: new DataLoader((ids: readonly number[]) => findMaterialKindsByIds(db, ids)),
    checklistOfType: new DataLoader((types: readonly ApplicationTypeValue[]) => checklistsOfTypes(db, types)),
  };
}
