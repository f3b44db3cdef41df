import { DeliveryError, retryableStatus } from './notifier.js';

const codeOf = (error: unknown): string => {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
};

/**
 * POSTs a JSON body. Redirects are not followed (a signed body must not travel on to another host)
 * and count as a failure that no retry will heal. The error says what happened without the URL,
 * which for chat webhooks is itself the secret.
 */
export const postJson = async (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<void> => {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'NetPulse-Notifier/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`request failed: ${codeOf(error)}`, true);
  }
  // Read the answer to the end so the connection can be reused; its content does not matter.
  await response.arrayBuffer().catch(() => {});
  if (!response.ok) throw new DeliveryError(`HTTP ${response.status}`, retryableStatus(response.status));
};
