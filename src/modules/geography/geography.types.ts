import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';

export enum SubdistrictKind {
  STREET = 'STREET',
  TOWN = 'TOWN',
}
registerEnumType(SubdistrictKind, {
  name: 'SubdistrictKind',
  description: 'Kind of a sub-district unit.',
  valuesConfig: { STREET: { description: 'Street (街道), run by a street office.' }, TOWN: { description: 'Town or township (镇 / 乡), run by a township government.' } },
});

export enum CommitteeKind {
  RESIDENTS = 'RESIDENTS',
  VILLAGERS = 'VILLAGERS',
}
registerEnumType(CommitteeKind, {
  name: 'CommitteeKind',
  description: 'Kind of a grassroots community.',
  valuesConfig: { RESIDENTS: { description: "Residents' committee (居委会), in urban areas." }, VILLAGERS: { description: "Villagers' committee (村委会), in rural areas." } },
});

@ObjectType({ implements: Node, description: 'One of the 16 districts of Shanghai (区).' })
export class District extends Node {
  @Field({ description: 'Six-digit administrative division code, e.g. "310115" for Pudong.' })
  code!: string;

  @Field({ name: 'name', description: 'Official Chinese name, e.g. "浦东新区".' })
  nameZh!: string;

  @Field({ description: 'English name, e.g. "Pudong New Area".' })
  nameEn!: string;

  @Field({ description: 'True for the seven central urban districts.' })
  central!: boolean;
}

@ObjectType({ implements: Node, description: 'A street (街道) or town (镇): the level that handles applications and owns cases.' })
export class Street extends Node {
  districtId!: number;

  @Field(() => SubdistrictKind, { description: 'Street or town.' })
  kind!: SubdistrictKind;

  @Field({ name: 'name', description: 'Official Chinese name, e.g. "陆家嘴街道".' })
  nameZh!: string;

  @Field({ description: 'English name.' })
  nameEn!: string;
}

@ObjectType({ implements: Node, description: "A residents' or villagers' committee (居委会 / 村委会): the community where households live." })
export class Committee extends Node {
  streetId!: number;
  districtId!: number;

  @Field(() => CommitteeKind, { description: "Residents' or villagers' committee." })
  kind!: CommitteeKind;

  @Field({ name: 'name', description: 'Official Chinese name.' })
  nameZh!: string;

  @Field({ description: 'English name.' })
  nameEn!: string;
}

export const DistrictConnection = ConnectionType(District, 'District', 'districts');
export const StreetConnection = ConnectionType(Street, 'Street', 'streets and towns');
export const CommitteeConnection = ConnectionType(Committee, 'Committee', 'committees');
