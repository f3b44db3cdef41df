import { DEVICE_FIELDS } from '@netpulse/projections';
import {
  buildSchema,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { auditorTypeDefs } from '../schema/auditors.js';
import { authTypeDefs } from '../schema/auth.js';
import { commonTypeDefs } from '../schema/common.js';
import { liveTypeDefs } from '../schema/live.js';
import { operatorTypeDefs } from '../schema/operators.js';
import { devicePageColumns } from './device-selection.js';

const schema = buildSchema(
  [commonTypeDefs, authTypeDefs, operatorTypeDefs, auditorTypeDefs, liveTypeDefs].join('\n'),
);

/** The `devices` field of a query and the document's fragments, as a resolver's info holds them. */
const selectionOf = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fieldNodes = operation.selectionSet.selections.filter(
    (node): node is FieldNode => node.kind === Kind.FIELD && node.name.value === 'devices',
  );
  const fragments = Object.fromEntries(
    document.definitions
      .filter((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION)
      .map((node) => [node.name.value, node]),
  );
  return { fieldNodes, fragments };
};

const fieldsFor = (query: string) => [...devicePageColumns(selectionOf(query)).fields].sort();

describe('devicePageColumns', () => {
  it("reads the dashboard list's columns and the key, nothing else", () => {
    expect(
      fieldsFor(`{ devices(first: 50) { nodes { deviceId name address kind status tags
        latest { reachable rttAvgMs lossPct } } pageInfo { endCursor hasNextPage } } }`),
    ).toEqual(['address', 'deviceId', 'kind', 'lossPct', 'name', 'reachable', 'rttAvgMs', 'status', 'tags']);
  });

  it('follows edges, aliases, inline fragments and fragment spreads', () => {
    expect(
      fieldsFor(`query { devices { edges { cursor node { ...Row } } } }
        fragment Row on Device { where: location ... on Device { latest { observedAt } } }`),
    ).toEqual(['deviceId', 'lastObservedAt', 'location', 'name']);
  });

  it('reads what derived fields are computed from', () => {
    expect(fieldsFor('{ devices { nodes { inMaintenance version activeAlerts { alertId } } } }')).toEqual([
      'deviceId',
      'maintenance',
      'name',
    ]);
  });

  it('reads every column for a field it does not know, rather than miss one', () => {
    expect(fieldsFor('{ devices { nodes { somethingNew } } }')).toEqual([...DEVICE_FIELDS].sort());
  });

  it('reads every column for a spread of a fragment the document lacks', () => {
    expect(fieldsFor('{ devices { nodes { ...Missing } } }')).toEqual([...DEVICE_FIELDS].sort());
  });

  it('knows every field of Device and LatestMetrics in the schema', () => {
    const device = schema.getType('Device') as GraphQLObjectType;
    const latest = schema.getType('LatestMetrics') as GraphQLObjectType;
    expect(device).toBeInstanceOf(GraphQLObjectType);
    const metrics = Object.keys(latest.getFields()).join(' ');
    for (const name of Object.keys(device.getFields())) {
      const selection = name === 'latest' ? `latest { ${metrics} }` : name;
      const fields = fieldsFor(`{ devices { nodes { ${selection} } } }`);
      expect(fields.length, `Device.${name}`).toBeLessThan(DEVICE_FIELDS.length);
    }
  });
});
