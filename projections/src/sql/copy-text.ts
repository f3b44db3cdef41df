/** A value COPY's text format can carry: null is `\N`, booleans `t` / `f`. */
export type CopyValue = string | number | boolean | null;

// COPY's text format gives backslash, tab, newline and carriage return a meaning of their own.
const SPECIAL = /[\\\t\n\r]/;
const escapeText = (text: string): string =>
  SPECIAL.test(text)
    ? text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
    : text;

const field = (value: CopyValue): string => {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // JSON cannot carry NaN or Infinity, so event data never holds them; refuse rather than guess.
  if (!Number.isFinite(value)) throw new Error(`cannot copy the number ${value}`);
  return String(value);
};

/** Encodes rows (arrays in column order) as COPY text lines. */
export const copyText = (rows: readonly (readonly CopyValue[])[]): string => {
  const lines: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let line = field(row[0] ?? null);
    for (let c = 1; c < row.length; c++) line += `\t${field(row[c] ?? null)}`;
    lines[r] = line;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};
