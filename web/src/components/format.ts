/** Display helpers shared by every page. Pure, so they are unit-tested. */

const UNITS: readonly [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** 0 s, 42 s, 5 m 3 s, 2 h 10 m, 3 d 4 h: the two largest units. */
export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 1) return '0 s';
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [size, unit] of UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
};

/** "3 m ago", "just now"; an absent time is an em dash. */
export const formatAge = (iso: string | null | undefined, now: number): string => {
  if (!iso) return '—';
  const seconds = (now - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 5) return 'just now';
  if (seconds < 0) return 'in the future';
  return `${formatDuration(seconds)} ago`;
};

/** Local date and time to the second, as an operator reads it on the wall. */
export const formatTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

export const formatNumber = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export const formatMs = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${formatNumber(value, value < 10 ? 2 : 1)} ms`;

export const formatPct = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined ? '—' : `${formatNumber(value, digits)} %`;

/** Bits per second with an SI prefix: 950 bps, 12.5 kbps, 1.2 Gbps. */
export const formatBps = (value: number | null | undefined): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const prefixes = ['', 'k', 'M', 'G', 'T'];
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1000 && index < prefixes.length - 1) {
    scaled /= 1000;
    index += 1;
  }
  return `${formatNumber(scaled, scaled < 10 ? 2 : 1)} ${prefixes[index]}bps`;
};

/** `<input type="datetime-local">` value for an instant, in the browser's zone. */
export const toLocalInput = (date: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** The instant a `datetime-local` value names in the browser's zone; null when empty or invalid. */
export const fromLocalInput = (value: string): Date | null => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};
