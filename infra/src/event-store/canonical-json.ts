/**
 * JSON with object keys sorted, so a value hashes the same however a storage engine reorders keys
 * (PostgreSQL's jsonb does). bigint becomes a decimal string. Written as loops: it runs for every
 * event appended.
 */
export const canonicalJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'undefined':
      return 'null';
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const entry = record[key];
    if (entry === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(entry)}`;
    first = false;
  }
  return `${out}}`;
};
