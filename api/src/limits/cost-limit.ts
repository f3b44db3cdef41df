import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { ApiError } from '../graphql/api-error.js';
import type { ApiLimits } from './api-limits.js';

/** Arguments that bound how many items a list field returns. */
const pageArguments = ['first', 'limit'] as const;

export type CostOptions = Readonly<{
  /** Items assumed for a list field nothing bounds (no `first`/`limit`, no enclosing page). */
  defaultListSize?: number;
}>;

type Walk = Readonly<{
  context: ValidationContext;
  limits: ApiLimits;
  defaultListSize: number;
  /** Fragment costs by name and enclosing page size: a fragment spread many times is costed once. */
  fragmentCosts: Map<string, number>;
  visiting: Set<string>;
}>;

/**
 * The page size a field asks for: a literal or the schema's default for the argument; when it is
 * known only at run time (a variable), the largest page `pageSize` lets through.
 */
const requestedPage = (walk: Walk, node: FieldNode, field: GraphQLField<unknown, unknown>): number | null => {
  for (const name of pageArguments) {
    const definition = field.args.find((arg) => arg.name === name);
    if (!definition) continue;
    const given = node.arguments?.find((arg) => arg.name.value === name)?.value;
    const value = given ? literalInt(given) : definition.defaultValue;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? value
      : walk.limits.maxPageSize;
  }
  return null;
};

/** A literal page size; a variable's is known only at run time (and documents are cached across variables). */
const literalInt = (value: ValueNode): number | null =>
  value.kind === Kind.INT ? Number(value.value) : null;

const fieldsOf = (type: GraphQLNamedType | null | undefined) =>
  type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : null;

/**
 * Cost of a selection set: each field 1, plus its own selections multiplied by the number of items
 * it returns. A field bounded by `first`/`limit` but not itself a list (a connection, a page)
 * passes its page size down to the lists directly under it (edges, nodes, events).
 */
const selectionCost = (
  walk: Walk,
  selections: SelectionSetNode,
  parent: GraphQLNamedType | null | undefined,
  page: number | null,
): number => {
  let total = 0;
  for (const selection of selections.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? walk.context.getSchema().getType(selection.typeCondition.name.value)
        : parent;
      total += selectionCost(walk, selection.selectionSet, type, page);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      total += fragmentCost(walk, walk.context.getFragment(selection.name.value), page);
    } else {
      total += fieldCost(walk, selection, parent, page);
    }
  }
  return total;
};

const fieldCost = (
  walk: Walk,
  node: FieldNode,
  parent: GraphQLNamedType | null | undefined,
  page: number | null,
): number => {
  const name = node.name.value;
  if (name === '__typename') return 0;
  // Introspection is bounded by the schema's size and by the depth limit, not by data.
  if (name.startsWith('__')) return 1;
  const field = fieldsOf(parent)?.[name];
  // Unknown fields are reported by graphql-js' own rules.
  if (!field) return 1;
  if (!node.selectionSet) return 1;
  const requested = requestedPage(walk, node, field);
  const isList = isListType(getNullableType(field.type));
  const items = isList ? (requested ?? page ?? walk.defaultListSize) : 1;
  const children = selectionCost(
    walk,
    node.selectionSet,
    getNamedType(field.type),
    isList ? null : requested,
  );
  return 1 + items * children;
};

const fragmentCost = (
  walk: Walk,
  fragment: FragmentDefinitionNode | null | undefined,
  page: number | null,
) => {
  if (!fragment) return 0;
  const name = fragment.name.value;
  const key = `${name}\u0000${page ?? ''}`;
  const known = walk.fragmentCosts.get(key);
  if (known !== undefined) return known;
  // A cycle is reported by NoFragmentCyclesRule; here it only must not recurse forever.
  if (walk.visiting.has(name)) return 0;
  walk.visiting.add(name);
  const type = walk.context.getSchema().getType(fragment.typeCondition.name.value);
  const cost = selectionCost(walk, fragment.selectionSet, type, page);
  walk.visiting.delete(name);
  walk.fragmentCosts.set(key, cost);
  return cost;
};

/** The estimated cost of one operation of a validated document (exported for tests and metrics). */
export const operationCost = (
  context: ValidationContext,
  operation: OperationDefinitionNode,
  limits: ApiLimits,
  options: CostOptions = {},
): number => {
  const walk: Walk = {
    context,
    limits,
    defaultListSize: options.defaultListSize ?? 10,
    fragmentCosts: new Map(),
    visiting: new Set(),
  };
  const root = context.getSchema().getRootType(operation.operation);
  return selectionCost(walk, operation.selectionSet, root, null);
};

/**
 * A graphql-js validation rule: refuses any operation whose estimated cost exceeds `maxCost`
 * before a resolver runs. The error wraps an ApiError so the client gets VALIDATION_FAILED with
 * the cost and the limit in `extensions.details`.
 */
export const costLimitRule =
  (limits: ApiLimits, options: CostOptions = {}): ValidationRule =>
  (context: ValidationContext): ASTVisitor => ({
    OperationDefinition: (operation) => {
      const cost = operationCost(context, operation, limits, options);
      if (cost <= limits.maxCost) return;
      const name = operation.name?.value ?? 'anonymous';
      const reason = new ApiError(
        'VALIDATION_FAILED',
        `operation ${name} is too costly: estimated cost ${cost} exceeds the limit of ${limits.maxCost}`,
        { cost, maxCost: limits.maxCost },
      );
      context.reportError(
        new GraphQLError(reason.message, {
          nodes: [operation],
          originalError: reason,
          extensions: { code: 'VALIDATION_FAILED', cost, maxCost: limits.maxCost },
        }),
      );
    },
  });
