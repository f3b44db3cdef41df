import { useCallback, useState } from 'react';
import { useClient } from './client-context';
import type { Document, Variables } from './document';
import { GraphQLRequestError } from './errors';

export type MutationState = Readonly<{
  pending: boolean;
  error: GraphQLRequestError | null;
  reset: () => void;
}>;

/** `const [run, { pending, error }] = useMutation(Doc)`; `run` resolves with the data or rejects. */
export const useMutation = <TData, TVariables extends Variables>(
  document: Document<TData, TVariables>,
): [(variables: TVariables) => Promise<TData>, MutationState] => {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const run = useCallback(
    async (variables: TVariables) => {
      setPending(true);
      setError(null);
      try {
        return await client.request(document, variables);
      } catch (failure) {
        const wrapped =
          failure instanceof GraphQLRequestError
            ? failure
            : new GraphQLRequestError(document.name, [{ message: String(failure) }]);
        setError(wrapped);
        throw wrapped;
      } finally {
        setPending(false);
      }
    },
    [client, document],
  );
  const reset = useCallback(() => setError(null), []);
  return [run, { pending, error, reset }];
};
