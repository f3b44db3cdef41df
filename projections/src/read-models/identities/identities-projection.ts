import { type OrganizationEvent, type RecordedEvent, streamCategories } from '@netpulse/domain';
import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';
import { timeText } from '../timestamps.js';
import {
  type ApiKeyRow,
  foldIdentityEvent,
  type IdentityWorkingSet,
  rowKey,
  touchedRows,
  type UserRow,
} from './identity-rows.js';

const userColumns: readonly Column[] = [
  ['organization_id', 'text'],
  ['user_id', 'text'],
  ['email', 'text'],
  ['display_name', 'text'],
  ['roles', 'text[]'],
  ['added_at', 'timestamptz'],
  ['changed_at', 'timestamptz'],
];

const apiKeyColumns: readonly Column[] = [
  ['organization_id', 'text'],
  ['key_id', 'text'],
  ['name', 'text'],
  ['roles', 'text[]'],
  ['secret_hash', 'text'],
  ['expires_at', 'timestamptz'],
  ['issued_at', 'timestamptz'],
  ['revoked_at', 'timestamptz'],
];

const selectList = (columns: readonly Column[]) =>
  columns.map(([name, type]) => (type === 'timestamptz' ? timeText(name) : name)).join(', ');

const loadRows = async <Row extends { organization_id: string }>(
  client: Queryable,
  table: string,
  columns: readonly Column[],
  idColumn: string,
  keys: readonly [string, string][],
  keyOf: (row: Row) => string,
): Promise<Map<string, Row>> => {
  if (keys.length === 0) return new Map();
  const { rows } = await client.query<Row>(
    `select ${selectList(columns)} from ${table}
     where (organization_id, ${idColumn}) in (select * from unnest($1::text[], $2::text[]))`,
    [keys.map(([organization]) => organization), keys.map(([, id]) => id)],
  );
  return new Map(rows.map((row) => [keyOf(row), row]));
};

/**
 * Users (e-mail, display name, roles) and API keys (name, roles, SHA-256 of the key, expiry,
 * revocation) of every organization, from the organization streams: what login, token checks and
 * the admin listings read. Passwords are not events and never pass through here.
 */
export const identitiesProjection = (): Projection => ({
  name: 'identities',
  // Sign-in and key checks read these rows: a revoked key or role must not reappear after a server
  // crash, even for the moment until the projector re-applies the revocation. Few events: no cost.
  durableCommits: true,
  filter: { categories: [streamCategories.organization] },
  createStatements: (t: VersionTables) => [
    `create table if not exists ${t.table('identity_users')} (
    organization_id text not null,
    user_id text not null,
    email text not null,
    display_name text not null,
    roles text[] not null,
    added_at timestamptz not null,
    changed_at timestamptz not null,
    primary key (organization_id, user_id))`,
    `create index if not exists ${t.name('identity_users')}_email_idx on ${t.table('identity_users')} (lower(email), organization_id)`,
    `create table if not exists ${t.table('identity_api_keys')} (
    organization_id text not null,
    key_id text not null,
    name text not null,
    roles text[] not null,
    secret_hash text not null,
    expires_at timestamptz,
    issued_at timestamptz not null,
    revoked_at timestamptz,
    primary key (organization_id, key_id))`,
    `create index if not exists ${t.name('identity_api_keys')}_key_idx on ${t.table('identity_api_keys')} (key_id)`,
  ],
  views: (t) => [
    ['identity_users', `select * from ${t.table('identity_users')}`],
    ['identity_api_keys', `select * from ${t.table('identity_api_keys')}`],
  ],
  dropStatements: (t) => [
    `drop table if exists ${t.table('identity_users')}`,
    `drop table if exists ${t.table('identity_api_keys')}`,
  ],
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    const touched = touchedRows(events);
    const set: IdentityWorkingSet = {
      users: await loadRows<UserRow>(
        client,
        t.table('identity_users'),
        userColumns,
        'user_id',
        touched.users,
        (row) => rowKey(row.organization_id, row.user_id),
      ),
      apiKeys: await loadRows<ApiKeyRow>(
        client,
        t.table('identity_api_keys'),
        apiKeyColumns,
        'key_id',
        touched.apiKeys,
        (row) => rowKey(row.organization_id, row.key_id),
      ),
      changedUsers: new Set(),
      changedKeys: new Set(),
    };
    for (const event of events) foldIdentityEvent(set, event as RecordedEvent<OrganizationEvent>);
    const changed = <Row>(rows: Map<string, Row>, keys: Set<string>): Row[] =>
      [...keys].map((key) => rows.get(key)).filter((row): row is Row => row !== undefined);
    await upsertRows(
      client,
      { table: t.table('identity_users'), columns: userColumns, key: ['organization_id', 'user_id'] },
      changed(set.users, set.changedUsers),
    );
    await upsertRows(
      client,
      { table: t.table('identity_api_keys'), columns: apiKeyColumns, key: ['organization_id', 'key_id'] },
      changed(set.apiKeys, set.changedKeys),
    );
  },
});
