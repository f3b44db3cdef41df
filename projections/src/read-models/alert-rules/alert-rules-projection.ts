import { type RecordedEvent, streamCategories } from '@netpulse/domain';
import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';
import { timeText } from '../timestamps.js';
import { type AlertRuleRow, foldAlertRule } from './alert-rule-row.js';

const columns: readonly Column[] = [
  ['rule_id', 'text'],
  ['organization_id', 'text'],
  ['name', 'text'],
  ['metric', 'text'],
  ['operator', 'text'],
  ['threshold', 'float8'],
  ['clear_threshold', 'float8'],
  ['for_seconds', 'integer'],
  ['severity', 'text'],
  ['scope_device_ids', 'text[]'],
  ['scope_tags', 'text[]'],
  ['enabled', 'boolean'],
  ['version', 'bigint'],
  ['defined_at', 'timestamptz'],
  ['changed_at', 'timestamptz'],
  ['deleted_at', 'timestamptz'],
];

const selectRule = columns
  .map(([name, type]) => {
    if (type === 'timestamptz') return timeText(name);
    return type === 'bigint' ? `${name}::text as ${name}` : name;
  })
  .join(', ');

/**
 * Alert rules as operators list and edit them: the current definition of every rule, its stream
 * version (for optimistic concurrency) and, once deleted, when.
 */
export const alertRulesProjection = (): Projection => ({
  name: 'alert-rules',
  filter: { categories: [streamCategories.alertRule] },
  createStatements: (t: VersionTables) => [
    `create table if not exists ${t.table('alert_rules')} (
    ${columns.map(([name, type]) => `${name} ${type}${name === 'deleted_at' ? '' : ' not null'}`).join(',\n    ')},
    primary key (rule_id))`,
    `create index if not exists ${t.name('alert_rules')}_org_idx on ${t.table('alert_rules')} (organization_id, name, rule_id)`,
  ],
  views: (t) => [['alert_rules', `select * from ${t.table('alert_rules')}`]],
  dropStatements: (t) => [`drop table if exists ${t.table('alert_rules')}`],
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    const ids = [...new Set(events.map((event) => (event.data as { ruleId: string }).ruleId))];
    const { rows } = await client.query<AlertRuleRow>(
      `select ${selectRule} from ${t.table('alert_rules')} where rule_id = any($1::text[])`,
      [ids],
    );
    const current = new Map<string, AlertRuleRow | null>(rows.map((row) => [row.rule_id, row]));
    const changed = new Set<string>();
    for (const event of events) {
      const id = (event.data as { ruleId: string }).ruleId;
      const before = current.get(id) ?? null;
      const after = foldAlertRule(before, event);
      if (after && after !== before) {
        current.set(id, after);
        changed.add(id);
      }
    }
    await upsertRows(
      client,
      { table: t.table('alert_rules'), columns, key: ['rule_id'] },
      [...changed].map((id) => current.get(id)!),
    );
  },
});
