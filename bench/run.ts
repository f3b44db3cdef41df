/**
 * `npm run bench -- <name> [args]` runs bench/<name>.bench.ts. Each benchmark prints, as its last
 * line, one JSON object with at least `name`, `value` and `unit`.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
  process.exit(2);
}
const bench = (await import(`./${name}.bench.ts`)) as { main: (args: string[]) => Promise<void> };
await bench.main(args);
