import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from './client-context';
import type { Document, Variables } from './document';
import { GraphQLRequestError } from './errors';

export type QueryState<TData> = Readonly<{
  data: TData | undefined;
  error: GraphQLRequestError | null;
  /** True while a request is in flight (also on refetch, when the previous data stays shown). */
  loading: boolean;
  refetch: () => void;
}>;

/**
 * Runs a query when the variables change (compared by value) and on `refetch`. The last data stays
 * on screen while a new request runs, so a wall display does not flash.
 */
export const useQuery = <TData, TVariables extends Variables>(
  document: Document<TData, TVariables>,
  variables: TVariables,
  options: Readonly<{ skip?: boolean }> = {},
): QueryState<TData> => {
  const client = useClient();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{
    data: TData | undefined;
    error: GraphQLRequestError | null;
    loading: boolean;
  }>({ data: undefined, error: null, loading: !options.skip });
  const [generation, setGeneration] = useState(0);
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables; `generation` forces a refetch.
  useEffect(() => {
    if (options.skip) {
      setState((previous) => ({ ...previous, loading: false }));
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    client.request(document, variablesRef.current, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure =
          error instanceof GraphQLRequestError
            ? error
            : new GraphQLRequestError(document.name, [{ message: String(error) }]);
        setState((previous) => ({ data: previous.data, error: failure, loading: false }));
      },
    );
    return () => controller.abort();
  }, [client, document, key, generation, options.skip]);

  const refetch = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, refetch };
};
