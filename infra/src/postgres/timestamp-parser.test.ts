import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './timestamp-parser.js';

const pgParser = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
const value = (parsed: unknown) => (parsed instanceof Date ? parsed.getTime() : parsed);

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL prints exactly as pg does, fractions and offsets included', () => {
    const cases = [
      '2026-11-21 10:38:22+00',
      '2026-11-21 10:38:22.1+00',
      '2026-11-21 10:38:22.123+00',
      '2026-11-21 10:38:22.123456+00',
      '2026-11-21 10:38:22.999999+00',
      '2026-11-21 00:00:00.5+05:30',
      '1999-12-31 23:59:59.001-08',
      '2000-02-29 12:00:00-03:30',
      '0099-01-01 00:00:00+00',
      // Not the fast path's shape: pg's parser answers.
      '2026-11-21 10:38:22+00:00:10',
      '0044-03-15 12:00:00+00 BC',
      '12026-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ];
    for (const text of cases) expect(value(parseTimestamptz(text)), text).toEqual(value(pgParser(text)));
  });

  it('agrees with pg on random instants in every offset PostgreSQL prints', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    for (let i = 0; i < 2_000; i++) {
      const instant = new Date(Date.UTC(1970, 0, 1) + Math.floor(random() * 4e12));
      const offset = Math.floor(random() * 27 - 13) * 60 + (random() < 0.2 ? 30 : 0);
      const local = new Date(instant.getTime() + offset * 60_000);
      const micros = random() < 0.5 ? '' : `.${pad(Math.floor(random() * 1e6), 6)}`;
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      const zone = `${sign}${pad(Math.floor(abs / 60))}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
      const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${micros}${zone}`;
      expect(value(parseTimestamptz(text)), text).toEqual(value(pgParser(text)));
    }
  });
});
