import { useEffect, useRef, useState } from 'react';
import { useClient } from './client-context';
import type { Document, Variables } from './document';
import type { GraphQLRequestError } from './errors';

/** Errors a new attempt would meet again. */
const permanent = new Set(['FORBIDDEN', 'VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

export type SubscriptionOptions = Readonly<{
  skip?: boolean;
  /** Subscribe again after an error the server ended it with (SLOW_CONSUMER…); default true. */
  retry?: boolean;
  /** After such a new attempt: events were missed, re-read the state the view shows. */
  onResubscribed?: () => void;
}>;

/**
 * Keeps a subscription open while the component lives (and the variables stay the same), calling
 * `onData` for each event. When the server ends it with an error that may pass (a slow consumer, a
 * restart), it subscribes again with back-off and calls `onResubscribed`. Returns the last error.
 */
export const useSubscription = <TData, TVariables extends Variables>(
  document: Document<TData, TVariables>,
  variables: TVariables,
  onData: (data: TData) => void,
  options: SubscriptionOptions = {},
): GraphQLRequestError | null => {
  const client = useClient();
  const key = JSON.stringify(variables);
  const handler = useRef(onData);
  handler.current = onData;
  const resubscribed = useRef(options.onResubscribed);
  resubscribed.current = options.onResubscribed;
  const variablesRef = useRef(variables);
  variablesRef.current = variables;
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const retry = options.retry ?? true;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables.
  useEffect(() => {
    if (options.skip) return;
    setError(null);
    let closed = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop: (() => void) | null = null;
    const start = () => {
      stop = client.subscribe(document, variablesRef.current, {
        next: (data) => {
          attempt = 0;
          setError(null);
          handler.current(data);
        },
        error: (failure) => {
          setError(failure);
          stop?.();
          stop = null;
          if (closed || !retry || permanent.has(failure.code)) return;
          const delay = Math.min(30_000, 1_000 * 2 ** attempt);
          attempt += 1;
          timer = setTimeout(() => {
            if (closed) return;
            start();
            resubscribed.current?.();
          }, delay);
        },
      });
    };
    start();
    return () => {
      closed = true;
      clearTimeout(timer);
      stop?.();
    };
  }, [client, document, key, options.skip, retry]);

  return error;
};

/** Calls `listener` whenever the live socket came back after a drop (to re-read missed state). */
export const useReconnect = (listener: () => void): void => {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => client.onReconnect(() => ref.current()), [client]);
};
