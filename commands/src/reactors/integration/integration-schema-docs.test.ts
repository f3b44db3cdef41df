import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_SCHEMA_DIR, integrationSchemaDocuments } from './integration-schema-docs.js';

const dir = join(resolve(fileURLToPath(import.meta.url), '../../../../..'), INTEGRATION_SCHEMA_DIR);
const stale = 'stale: run `npm run docs:integration-events` and commit the result';

describe('committed integration event schemas', () => {
  const documents = integrationSchemaDocuments();

  it('say exactly what the zod schemas say', () => {
    for (const [file, text] of documents) {
      const path = join(dir, file);
      expect(existsSync(path), `${INTEGRATION_SCHEMA_DIR}/${file} missing; ${stale}`).toBe(true);
      // Compared as data: Biome lays the committed files out its own way.
      expect(JSON.parse(readFileSync(path, 'utf8')), `${file} ${stale}`).toEqual(JSON.parse(text));
    }
  });

  it('include no schema of a stream that is no longer published', () => {
    const committed = readdirSync(dir).filter((file) => file.endsWith('.schema.json'));
    expect(committed.sort(), stale).toEqual([...documents.keys()].sort());
  });

  it('name each stream, its message key, and leave room for additive changes', () => {
    const alerts = JSON.parse(documents.get('netpulse.alerts.v1.schema.json') ?? '{}');
    expect(alerts).toMatchObject({ $id: 'netpulse.alerts.v1.schema.json', 'x-netpulse-key': 'alertKey' });
    expect(alerts.oneOf.map((variant: { title: string }) => variant.title)).toContain('alert.resolved');
    expect(JSON.stringify(alerts)).not.toContain('"additionalProperties":false');
  });
});
