/**
 * `npm run docs:integration-events`: rewrites docs/integration-events/*.schema.json from the zod
 * schemas, then lets Biome lay them out as the lint expects. A unit test fails while the committed
 * files say something else than the schemas.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTEGRATION_SCHEMA_DIR, integrationSchemaDocuments } from './integration-schema-docs.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
const dir = join(root, INTEGRATION_SCHEMA_DIR);
const documents = integrationSchemaDocuments();
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) {
  if (file.endsWith('.schema.json') && !documents.has(file)) rmSync(join(dir, file));
}
for (const [file, text] of documents) writeFileSync(join(dir, file), text);
execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', INTEGRATION_SCHEMA_DIR], {
  cwd: root,
  stdio: 'ignore',
});
console.log(`wrote ${documents.size} schemas to ${INTEGRATION_SCHEMA_DIR}/`);
