import { type DocumentNode, Kind, type OperationDefinitionNode } from 'graphql';
import { Histogram, type Registry } from 'prom-client';

type Started = { at: number; operation: string; field: string };

/**
 * GraphQL operation latency by operation type and root field: root fields are bounded by the
 * schema, unlike client-chosen operation names, so the label set cannot explode.
 */
export const operationMetrics = (registry: Registry) => {
  const histogram = new Histogram({
    name: 'netpulse_graphql_operation_duration_seconds',
    help: 'GraphQL query and mutation execution time, by operation type, root field and outcome',
    labelNames: ['operation', 'field', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const inFlight = new WeakMap<object, Started>();
  return {
    started: (document: DocumentNode, context: object) => {
      const definition = document.definitions.find(
        (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION,
      );
      const first = definition?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
      inFlight.set(context, {
        at: performance.now(),
        operation: definition?.operation ?? 'unknown',
        field: first?.kind === Kind.FIELD ? first.name.value : 'unknown',
      });
    },
    finished: (execution: { errors?: readonly unknown[] }, context: object) => {
      const started = inFlight.get(context);
      if (!started) return;
      inFlight.delete(context);
      histogram.observe(
        {
          operation: started.operation,
          field: started.field,
          outcome: execution.errors && execution.errors.length > 0 ? 'error' : 'ok',
        },
        (performance.now() - started.at) / 1000,
      );
    },
  };
};
