import { type Queryable, quoteIdent } from '../sql/queryable.js';

export type AlertRuleView = Readonly<{
  ruleId: string;
  organizationId: string;
  name: string;
  metric: string;
  operator: string;
  threshold: number;
  clearThreshold: number;
  forSeconds: number;
  severity: string;
  scope: Readonly<{ deviceIds: string[]; tags: string[] }>;
  enabled: boolean;
  version: bigint;
  definedAt: Date;
  changedAt: Date;
  deletedAt: Date | null;
}>;

type AlertRuleRecord = Omit<AlertRuleView, 'scope' | 'version'> & {
  deviceIds: string[];
  tags: string[];
  version: string;
};

const columns = `rule_id as "ruleId", organization_id as "organizationId", name, metric, operator, threshold,
  clear_threshold as "clearThreshold", for_seconds as "forSeconds", severity, scope_device_ids as "deviceIds",
  scope_tags as tags, enabled, version::text as version, defined_at as "definedAt", changed_at as "changedAt",
  deleted_at as "deletedAt"`;

const toView = ({ deviceIds, tags, version, ...rule }: AlertRuleRecord): AlertRuleView => ({
  ...rule,
  scope: { deviceIds, tags },
  version: BigInt(version),
});

/** The rules of one organization by name; deleted rules only when asked for. */
export const listAlertRules = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; includeDeleted?: boolean }>,
): Promise<AlertRuleView[]> => {
  const { rows } = await q.query<AlertRuleRecord>(
    `select ${columns} from ${quoteIdent(schema)}.alert_rules
     where organization_id = $1 and ($2 or deleted_at is null) order by name, rule_id`,
    [input.organizationId, input.includeDeleted ?? false],
  );
  return rows.map(toView);
};

/** One rule of one organization (deleted ones included: the id names it still). */
export const getAlertRule = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; ruleId: string }>,
): Promise<AlertRuleView | null> => {
  const { rows } = await q.query<AlertRuleRecord>(
    `select ${columns} from ${quoteIdent(schema)}.alert_rules where organization_id = $1 and rule_id = $2`,
    [input.organizationId, input.ruleId],
  );
  return rows[0] ? toView(rows[0]) : null;
};
