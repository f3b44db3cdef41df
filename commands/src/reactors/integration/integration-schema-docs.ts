import { z } from 'zod';
import { integrationStreams } from './integration-topics.js';

/** Where the JSON Schemas live, from the repository root. */
export const INTEGRATION_SCHEMA_DIR = 'docs/integration-events';

/**
 * The JSON Schema of each integration stream, as committed under docs/integration-events/: file name
 * → file text. Generated from the zod schemas the publisher's tests check messages against, so the
 * documents cannot drift from what is published. Input mode: unknown properties stay allowed, because
 * consumers must tolerate the fields a compatible (same-version) change adds.
 */
export const integrationSchemaDocuments = (): ReadonlyMap<string, string> =>
  new Map(
    Object.values(integrationStreams).map((stream) => {
      const file = `${stream.schemaId}.schema.json`;
      const generated = z.toJSONSchema(stream.schema, { target: 'draft-2020-12', io: 'input' });
      const { $schema, ...rest } = generated;
      const document = { $schema, $id: file, 'x-netpulse-key': stream.key, ...rest };
      return [file, `${JSON.stringify(document, null, 2)}\n`];
    }),
  );
