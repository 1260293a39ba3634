// The four query shapes of the partner departments, as each system in the load benchmark asks
// them: the hub (GraphQL, schema/operations/load-shapes.graphql), PostGraphile v5 (its generated
// schema over the same tables) and the floor (one hand-written SQL statement returning the JSON).
// Each shape also says how to draw its variables per request and how to bring every system's
// answer to one comparable form.
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');
const { parse, print } = require('graphql');

const operations = parse(fs.readFileSync(path.resolve(__dirname, '../../schema/operations/load-shapes.graphql'), 'utf8'));
const hubQuery = (name) => {
  const definition = operations.definitions.find((d) => d.name && d.name.value === name);
  if (!definition) throw new Error(`No operation ${name} in schema/operations/load-shapes.graphql`);
  return print(definition);
};

const globalId = (type, id) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const rawId = (value) => (typeof value === 'number' ? value : Number(Buffer.from(value, 'base64url').toString('utf8').split(':')[1]));
const ms = (value) => new Date(value).getTime();
const pick = (list) => list[Math.floor(Math.random() * list.length)];

// Resident ID and name masks as the hub applies them without a stated purpose (households.privacy.ts, resident-id.ts).
const maskName = (name) => {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*'.repeat(chars.length) : chars[0] + '*'.repeat(chars.length - 1);
};
const maskId = (id) => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`;
const ageOn = (birthDate, today) => {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
};
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const SHANGHAI_TODAY_SQL = `(now() at time zone 'Asia/Shanghai')::date`;

/** A PostGraphile-visible function for shape 4: PostGraphile has no aggregates without a plugin. */
const POSTGRAPHILE_SETUP = `
create schema if not exists bench_pg;
drop function if exists bench_pg.supply_demand_balance(int[]);
drop type if exists bench_pg.balance_cell;
create type bench_pg.balance_cell as (district_id int, district_name text, category_id int, category_code text, open_units int, free_units int, shortfall int);
create function bench_pg.supply_demand_balance(district_ids int[]) returns setof bench_pg.balance_cell language sql stable as $$
  with demand as (
    select district_id, category_id, sum(units) as units from needs where status = 'OPEN' and district_id = any(district_ids) group by 1, 2
  ), supply as (
    select a.district_id, r.category_id, sum(r.capacity - r.held_units) as units
    from (select distinct resource_id, district_id from resource_service_areas where district_id = any(district_ids)) a
    join resources r on r.id = a.resource_id and r.status = 'ACTIVE'
    join organizations o on o.id = r.provider_id and (o.provider_status = 'ACTIVE' or (o.provider_status = 'BANNED' and o.banned_until < ${SHANGHAI_TODAY_SQL}))
    group by 1, 2
  )
  select d.id, d.name_zh, c.id, c.code, coalesce(demand.units, 0)::int, coalesce(supply.units, 0)::int, greatest(coalesce(demand.units, 0) - coalesce(supply.units, 0), 0)::int
  from districts d cross join service_categories c
  left join demand on demand.district_id = d.id and demand.category_id = c.id
  left join supply on supply.district_id = d.id and supply.category_id = c.id
  where c.retired_at is null and d.id = any(district_ids)
  order by d.code, c.sort_order
$$;`;

const SHAPES = {
  needsPage: {
    title: '1 open needs page',
    hub: {
      query: hubQuery('LoadOpenNeedsPage'),
      variables: (ids) => ({ districts: [globalId('District', pick(ids.districts))] }),
      normalise: (data) =>
        data.needs.nodes.map((n) => ({
          id: rawId(n.id), urgency: n.urgency, units: n.units, createdAt: ms(n.createdAt),
          household: rawId(n.household.id), committee: [rawId(n.household.committee.id), n.household.committee.name], street: [rawId(n.household.committee.street.id), n.household.committee.street.name], district: [rawId(n.household.committee.street.district.id), n.household.committee.street.district.name],
          referrals: n.referrals.nodes.map((r) => [rawId(r.id), r.status, r.units, rawId(r.resource.id), r.resource.title, rawId(r.resource.provider.id), r.resource.provider.name]),
        })),
    },
    postgraphile: {
      query: `query ($district: Int!) {
  allNeeds(condition: { status: OPEN, districtId: $district }, orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC], first: 50) {
    nodes {
      rowId urgency units createdAt
      householdByHouseholdId { rowId committeeByCommitteeId { rowId nameZh streetByStreetId { rowId nameZh districtByDistrictId { rowId nameZh } } } }
      referralsByNeedId(orderBy: PRIMARY_KEY_ASC, first: 10) { nodes { rowId status units resourceByResourceId { rowId title organizationByProviderId { rowId nameZh } } } }
    }
  }
}`,
      variables: (hubVars) => ({ district: rawId(hubVars.districts[0]) }),
      normalise: (data) =>
        data.allNeeds.nodes.map((n) => {
          const h = n.householdByHouseholdId;
          const c = h.committeeByCommitteeId;
          return {
            id: n.rowId, urgency: n.urgency, units: n.units, createdAt: ms(n.createdAt),
            household: h.rowId, committee: [c.rowId, c.nameZh], street: [c.streetByStreetId.rowId, c.streetByStreetId.nameZh], district: [c.streetByStreetId.districtByDistrictId.rowId, c.streetByStreetId.districtByDistrictId.nameZh],
            referrals: n.referralsByNeedId.nodes.map((r) => [r.rowId, r.status, r.units, r.resourceByResourceId.rowId, r.resourceByResourceId.title, r.resourceByResourceId.organizationByProviderId.rowId, r.resourceByResourceId.organizationByProviderId.nameZh]),
          };
        }),
    },
    floor: {
      sql: `select coalesce(json_agg(json_build_object(
    'id', n.id, 'urgency', n.urgency, 'units', n.units, 'createdAt', n.created_at,
    'household', json_build_object('id', h.id, 'committee', json_build_object('id', c.id, 'name', c.name_zh,
      'street', json_build_object('id', s.id, 'name', s.name_zh, 'district', json_build_object('id', d.id, 'name', d.name_zh)))),
    'referrals', (select coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'units', r.units,
        'resource', json_build_object('id', res.id, 'title', res.title, 'provider', json_build_object('id', o.id, 'name', o.name_zh))) order by r.id), '[]')
      from (select id, status, units, resource_id from referrals where need_id = n.id order by id limit 10) r
      join resources res on res.id = r.resource_id join organizations o on o.id = res.provider_id)
  ) order by n.created_at, n.id), '[]') as data
from (select id, urgency, units, created_at, household_id from needs where status = 'OPEN' and district_id = $1 order by created_at, id limit 50) n
join households h on h.id = n.household_id join committees c on c.id = h.committee_id join streets s on s.id = c.street_id join districts d on d.id = s.district_id`,
      params: (hubVars) => [rawId(hubVars.districts[0])],
      normalise: (data) =>
        data.map((n) => ({
          id: n.id, urgency: n.urgency, units: n.units, createdAt: ms(n.createdAt),
          household: n.household.id, committee: [n.household.committee.id, n.household.committee.name], street: [n.household.committee.street.id, n.household.committee.street.name], district: [n.household.committee.street.district.id, n.household.committee.street.district.name],
          referrals: n.referrals.map((r) => [r.id, r.status, r.units, r.resource.id, r.resource.title, r.resource.provider.id, r.resource.provider.name]),
        })),
    },
  },

  providerDashboard: {
    title: '2 provider dashboard',
    hub: {
      query: hubQuery('LoadProviderDashboard'),
      variables: (ids) => ({ id: globalId('Organization', pick(ids.providers)) }),
      normalise: (data) => ({
        id: rawId(data.node.id), name: data.node.name,
        resources: data.node.resources.nodes.map((r) => ({
          id: rawId(r.id), title: r.title, capacity: r.capacity, heldUnits: r.heldUnits, status: r.status,
          referrals: r.referrals.nodes.map((f) => [rawId(f.id), f.status, f.units, rawId(f.need.id), f.need.urgency, f.need.units, f.need.status, ms(f.need.createdAt)]),
        })),
      }),
    },
    postgraphile: {
      query: `query ($id: Int!) {
  organizationByRowId(rowId: $id) {
    rowId nameZh
    resourcesByProviderId(orderBy: PRIMARY_KEY_ASC, first: 20) {
      nodes {
        rowId title capacity heldUnits status
        referralsByResourceId(orderBy: PRIMARY_KEY_ASC, first: 10) { nodes { rowId status units needByNeedId { rowId urgency units status createdAt } } }
      }
    }
  }
}`,
      variables: (hubVars) => ({ id: rawId(hubVars.id) }),
      normalise: (data) => {
        const o = data.organizationByRowId;
        return {
          id: o.rowId, name: o.nameZh,
          resources: o.resourcesByProviderId.nodes.map((r) => ({
            id: r.rowId, title: r.title, capacity: r.capacity, heldUnits: r.heldUnits, status: r.status,
            referrals: r.referralsByResourceId.nodes.map((f) => [f.rowId, f.status, f.units, f.needByNeedId.rowId, f.needByNeedId.urgency, f.needByNeedId.units, f.needByNeedId.status, ms(f.needByNeedId.createdAt)]),
          })),
        };
      },
    },
    floor: {
      sql: `select json_build_object('id', o.id, 'name', o.name_zh, 'resources', (
    select coalesce(json_agg(json_build_object('id', r.id, 'title', r.title, 'capacity', r.capacity, 'heldUnits', r.held_units, 'status', r.status,
      'referrals', (select coalesce(json_agg(json_build_object('id', f.id, 'status', f.status, 'units', f.units,
          'need', json_build_object('id', n.id, 'urgency', n.urgency, 'units', n.units, 'status', n.status, 'createdAt', n.created_at)) order by f.id), '[]')
        from (select id, status, units, need_id from referrals where resource_id = r.id order by id limit 10) f join needs n on n.id = f.need_id)
    ) order by r.id), '[]')
    from (select id, title, capacity, held_units, status from resources where provider_id = o.id order by id limit 20) r)) as data
from organizations o where o.id = $1`,
      params: (hubVars) => [rawId(hubVars.id)],
      normalise: (data) => ({
        id: data.id, name: data.name,
        resources: data.resources.map((r) => ({
          id: r.id, title: r.title, capacity: r.capacity, heldUnits: r.heldUnits, status: r.status,
          referrals: r.referrals.map((f) => [f.id, f.status, f.units, f.need.id, f.need.urgency, f.need.units, f.need.status, ms(f.need.createdAt)]),
        })),
      }),
    },
  },

  needById: {
    title: '3 need by id',
    hub: {
      query: hubQuery('LoadNeed'),
      variables: (ids) => ({ id: globalId('Need', pick(ids.needs)) }),
      normalise: (data) => ({
        id: rawId(data.node.id), status: data.node.status, urgency: data.node.urgency, units: data.node.units, createdAt: ms(data.node.createdAt),
        household: rawId(data.node.household.id), statuses: data.node.household.assistanceStatuses,
        persons: data.node.household.persons.nodes.map((p) => [rawId(p.id), p.relation, p.sex, p.age, p.attributes, p.name, p.idNumber]),
      }),
    },
    postgraphile: {
      query: `query ($id: Int!) {
  needByRowId(rowId: $id) {
    rowId status urgency units createdAt
    householdByHouseholdId { rowId assistanceStatuses peopleByHouseholdId(orderBy: PRIMARY_KEY_ASC, first: 10) { nodes { rowId relation sex birthDate attributes name idNumber } } }
  }
}`,
      variables: (hubVars) => ({ id: rawId(hubVars.id) }),
      // PostGraphile has no masking: the comparison applies the hub's masks to its clear values.
      normalise: (data) => {
        const n = data.needByRowId;
        const h = n.householdByHouseholdId;
        const today = shanghaiToday();
        return {
          id: n.rowId, status: n.status, urgency: n.urgency, units: n.units, createdAt: ms(n.createdAt), household: h.rowId, statuses: h.assistanceStatuses,
          persons: h.peopleByHouseholdId.nodes.map((p) => [p.rowId, p.relation, p.sex, ageOn(p.birthDate, today), p.attributes, maskName(p.name), maskId(p.idNumber)]),
        };
      },
    },
    floor: {
      sql: `select json_build_object('id', n.id, 'status', n.status, 'urgency', n.urgency, 'units', n.units, 'createdAt', n.created_at,
    'household', json_build_object('id', h.id, 'assistanceStatuses', h.assistance_statuses, 'persons', (
      select coalesce(json_agg(json_build_object('id', p.id, 'relation', p.relation, 'sex', p.sex,
          'age', extract(year from age(${SHANGHAI_TODAY_SQL}, p.birth_date))::int, 'attributes', p.attributes,
          'name', case when char_length(p.name) <= 1 then repeat('*', char_length(p.name)) else left(p.name, 1) || repeat('*', char_length(p.name) - 1) end,
          'idNumber', left(p.id_number, 3) || repeat('*', 11) || right(p.id_number, 4)) order by p.id), '[]')
      from (select id, relation, sex, birth_date, attributes, name, id_number from persons where household_id = h.id order by id limit 10) p))) as data
from needs n join households h on h.id = n.household_id where n.id = $1`,
      params: (hubVars) => [rawId(hubVars.id)],
      normalise: (data) => ({
        id: data.id, status: data.status, urgency: data.urgency, units: data.units, createdAt: ms(data.createdAt), household: data.household.id, statuses: data.household.assistanceStatuses,
        persons: data.household.persons.map((p) => [p.id, p.relation, p.sex, p.age, p.attributes, p.name, p.idNumber]),
      }),
    },
  },

  balance: {
    title: '4 supply-demand balance',
    hub: {
      query: hubQuery('LoadSupplyDemandBalance'),
      variables: (ids) => {
        const chosen = new Set();
        while (chosen.size < 4) chosen.add(pick(ids.districts));
        return { districts: [...chosen].map((id) => globalId('District', id)) };
      },
      normalise: (data) => data.supplyDemandBalance.map((c) => [rawId(c.district.id), c.district.name, rawId(c.category.id), c.category.code, c.openUnits, c.freeUnits, c.shortfall]),
    },
    postgraphile: {
      query: `query ($districts: [Int]!) {
  benchPgSupplyDemandBalance(districtIds: $districts) { nodes { districtId districtName categoryId categoryCode openUnits freeUnits shortfall } }
}`,
      variables: (hubVars) => ({ districts: hubVars.districts.map(rawId) }),
      normalise: (data) => data.benchPgSupplyDemandBalance.nodes.map((c) => [c.districtId, c.districtName, c.categoryId, c.categoryCode, c.openUnits, c.freeUnits, c.shortfall]),
    },
    floor: {
      sql: `select coalesce(json_agg(json_build_object('districtId', b.district_id, 'districtName', b.district_name, 'categoryId', b.category_id, 'categoryCode', b.category_code,
    'openUnits', b.open_units, 'freeUnits', b.free_units, 'shortfall', b.shortfall)), '[]') as data
from (
  with demand as (
    select district_id, category_id, sum(units) as units from needs where status = 'OPEN' and district_id = any($1::int[]) group by 1, 2
  ), supply as (
    select a.district_id, r.category_id, sum(r.capacity - r.held_units) as units
    from (select distinct resource_id, district_id from resource_service_areas where district_id = any($1::int[])) a
    join resources r on r.id = a.resource_id and r.status = 'ACTIVE'
    join organizations o on o.id = r.provider_id and (o.provider_status = 'ACTIVE' or (o.provider_status = 'BANNED' and o.banned_until < ${SHANGHAI_TODAY_SQL}))
    group by 1, 2
  )
  select d.id as district_id, d.name_zh as district_name, c.id as category_id, c.code as category_code, coalesce(demand.units, 0)::int as open_units,
    coalesce(supply.units, 0)::int as free_units, greatest(coalesce(demand.units, 0) - coalesce(supply.units, 0), 0)::int as shortfall
  from districts d cross join service_categories c
  left join demand on demand.district_id = d.id and demand.category_id = c.id
  left join supply on supply.district_id = d.id and supply.category_id = c.id
  where c.retired_at is null and d.id = any($1::int[])
  order by d.code, c.sort_order
) b`,
      params: (hubVars) => [hubVars.districts.map(rawId)],
      normalise: (data) => data.map((c) => [c.districtId, c.districtName, c.categoryId, c.categoryCode, c.openUnits, c.freeUnits, c.shortfall]),
    },
  },
};

module.exports = { SHAPES, POSTGRAPHILE_SETUP, globalId, rawId };
