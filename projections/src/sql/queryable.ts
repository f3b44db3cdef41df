import type pg from 'pg';

/** What projections need of a connection: a pooled client inside the runner's transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A column of a `json_to_recordset` row set: its name and PostgreSQL type. */
export type Column = readonly [name: string, type: string];

/**
 * Rows travel as one JSON parameter expanded by `json_to_recordset`: one statement per batch, and
 * JSON.stringify is far cheaper in Node than pg's array literal encoding of many parallel arrays.
 */
export const recordset = (columns: readonly Column[], param = '$1'): string =>
  `json_to_recordset(${param}::json) as r(${columns.map(([name, type]) => `${quoteIdent(name)} ${type}`).join(', ')})`;

export type UpsertOptions = Readonly<{
  table: string;
  columns: readonly Column[];
  /** Conflict target; omitted = plain insert. */
  key?: readonly string[];
  /** Columns to overwrite on conflict; default every non-key column. */
  update?: readonly string[];
}>;

/** Inserts (or upserts) rows given as objects keyed by column name, in one statement. */
export const upsertRows = async (
  client: Queryable,
  options: UpsertOptions,
  rows: readonly Record<string, unknown>[],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = options.columns.map(([name]) => quoteIdent(name)).join(', ');
  let conflict = '';
  if (options.key) {
    const key = new Set(options.key);
    const update = options.update ?? options.columns.map(([name]) => name).filter((name) => !key.has(name));
    conflict =
      update.length === 0
        ? ` on conflict (${options.key.map(quoteIdent).join(', ')}) do nothing`
        : ` on conflict (${options.key.map(quoteIdent).join(', ')}) do update set ${update
            .map((name) => `${quoteIdent(name)} = excluded.${quoteIdent(name)}`)
            .join(', ')}`;
  }
  await client.query(
    `insert into ${options.table} (${names}) select ${names} from ${recordset(options.columns)}${conflict}`,
    [JSON.stringify(rows)],
  );
};
