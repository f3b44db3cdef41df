import { gql } from '../../graphql/document';
import type { Actor, DateTime, Role, WriteResult } from '../../graphql/schema-types';

export type ApiKey = Readonly<{
  keyId: string;
  name: string;
  roles: readonly Role[];
  expiresAt: DateTime | null;
  issuedAt: DateTime;
  revokedAt: DateTime | null;
}>;
const KEY_FIELDS = 'keyId name roles expiresAt issuedAt revokedAt';

export const ApiKeysQuery = gql<{ apiKeys: ApiKey[] }>(`query ApiKeys { apiKeys { ${KEY_FIELDS} } }`);

export const IssueApiKeyMutation = gql<
  { issueApiKey: { apiKey: ApiKey; secret: string; result: WriteResult } },
  { input: { name: string; roles: Role[]; expiresAt: DateTime | null } }
>(
  `mutation IssueApiKey($input: IssueApiKeyInput!) {
    issueApiKey(input: $input) { apiKey { ${KEY_FIELDS} } secret result { streamId version eventsWritten } }
  }`,
);

export const RevokeApiKeyMutation = gql<{ revokeApiKey: WriteResult }, { keyId: string }>(
  `mutation RevokeApiKey($keyId: String!) { revokeApiKey(keyId: $keyId) { streamId version eventsWritten } }`,
);

export type FeedEvent = Readonly<{
  type: string;
  streamId: string;
  streamVersion: string;
  checkpoint: string;
  recordedAt: DateTime;
  actor: Actor;
}>;

export const EventFeedSubscription = gql<
  { events: FeedEvent },
  { after: string | null; categories: string[] | null }
>(
  `subscription EventFeed($after: String, $categories: [String!]) {
    events(after: $after, filter: { categories: $categories }) { type streamId streamVersion checkpoint recordedAt actor { kind id } }
  }`,
);

/** The subscription an integrator sends, shown verbatim on the page. */
export const exampleSubscription = `subscription Feed($after: String) {
  events(after: $after, filter: { categories: ["device", "alert"] }) {
    eventId type streamId streamVersion checkpoint recordedAt
    actor { kind id } data
  }
}`;
