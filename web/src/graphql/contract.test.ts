import { buildSchema, type DocumentNode, Kind, parse, type SelectionSetNode, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
// The SDL the API serves (the contract); read by this test only, never bundled.
import { auditorTypeDefs } from '../../../api/src/graphql/schema/auditors';
import { authTypeDefs } from '../../../api/src/graphql/schema/auth';
import { commonTypeDefs } from '../../../api/src/graphql/schema/common';
import { liveTypeDefs } from '../../../api/src/graphql/schema/live';
import { operatorTypeDefs } from '../../../api/src/graphql/schema/operators';
import { costLimitRule } from '../../../api/src/limits/cost-limit';

/** The API's default limits (infra/src/roles/api/api-config.ts): the dashboard must fit them as shipped. */
const limits = { maxDepth: 8, maxCost: 5_000, maxPageSize: 200, subscriptionQueueLimit: 1_000 };

const depthOf = (selections: SelectionSetNode | undefined): number =>
  selections
    ? Math.max(
        0,
        ...selections.selections.map((node) =>
          node.kind === Kind.FIELD
            ? 1 + depthOf(node.selectionSet)
            : depthOf(node.kind === Kind.INLINE_FRAGMENT ? node.selectionSet : undefined),
        ),
      )
    : 0;
const depth = (document: DocumentNode): number =>
  Math.max(
    ...document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? depthOf(definition.selectionSet) : 0,
    ),
  );

const schema = buildSchema(
  [commonTypeDefs, authTypeDefs, operatorTypeDefs, auditorTypeDefs, liveTypeDefs].join('\n'),
);

const modules = import.meta.glob(['../auth/session.ts', '../pages/**/*-documents.ts'], { eager: true });
const documents = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports as Record<string, unknown>)
    .filter(
      ([, value]) => typeof value === 'object' && value !== null && 'source' in value && 'name' in value,
    )
    .map(([name, value]) => ({ file, name, source: (value as { source: string }).source })),
);

describe('every operation the dashboard sends', () => {
  it('was found', () => {
    expect(documents.length).toBeGreaterThan(30);
  });

  it.each(documents)('$name ($file) validates against the API schema and fits its limits', ({ source }) => {
    const document = parse(source);
    const errors = validate(schema, document, [costLimitRule(limits)]).map((error) => error.message);
    expect(errors).toEqual([]);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    expect(depth(document)).toBeLessThanOrEqual(limits.maxDepth);
  });
});
