import {
  type ASTVisitor,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ApiError } from '../graphql/api-error.js';
import type { ApiLimits } from './api-limits.js';

/**
 * How deep a selection nests fields: a root field is 1, each field below it one more. Fragments
 * count where they are spread; a cycle (reported by NoFragmentCyclesRule) only must not recurse.
 */
const depthOf = (context: ValidationContext, selections: SelectionSetNode, visiting: Set<string>): number => {
  let deepest = 0;
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      const below = selection.selectionSet ? depthOf(context, selection.selectionSet, visiting) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(context, selection.selectionSet, visiting));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, depthOf(context, fragment.selectionSet, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
};

/**
 * A graphql-js validation rule: refuses an operation nested deeper than `maxDepth` before a resolver
 * runs, over HTTP and WebSocket alike, as VALIDATION_FAILED with the depth and the limit.
 */
export const depthLimitRule =
  (limits: Pick<ApiLimits, 'maxDepth'>): ValidationRule =>
  (context: ValidationContext): ASTVisitor => ({
    OperationDefinition: (operation) => {
      const depth = depthOf(context, operation.selectionSet, new Set());
      if (depth <= limits.maxDepth) return;
      const name = operation.name?.value ?? 'anonymous';
      const reason = new ApiError(
        'VALIDATION_FAILED',
        `operation ${name} is too deep: depth ${depth} exceeds the limit of ${limits.maxDepth}`,
        { depth, maxDepth: limits.maxDepth },
      );
      context.reportError(new GraphQLError(reason.message, { nodes: [operation], originalError: reason }));
    },
  });
