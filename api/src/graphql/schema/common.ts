/** Scalars, errors and paging shared by every area of the schema. */
export const commonTypeDefs = /* GraphQL */ `
  "ISO-8601 date-time with offset."
  scalar DateTime
  "Arbitrary JSON (event data, probe settings, details)."
  scalar JSON
  "A 64-bit integer (stream versions, global positions) as a decimal string."
  scalar BigInt

  enum Role {
    admin
    operator
    viewer
    auditor
    integrator
  }

  enum DeviceStatus {
    unknown
    up
    degraded
    down
    unreachable
  }

  enum Severity {
    info
    warning
    minor
    major
    critical
  }

  enum AlertState {
    open
    acknowledged
    resolved
  }

  type Actor {
    kind: String!
    id: String!
  }

  type PageInfo {
    "Pass as 'after' to get the next page; null on the last page."
    endCursor: String
    hasNextPage: Boolean!
  }

  "What every mutation returns about the write it made."
  type WriteResult {
    streamId: String!
    "The stream's version after the write: pass it as expectedVersion next time."
    version: BigInt!
    "Events written (0 when the same command had already been applied)."
    eventsWritten: Int!
  }

  type Query {
    "The caller: who is asking, for which organization, with which roles."
    me: Identity!
  }

  type Mutation {
    _noop: Boolean
  }

  type Subscription {
    _noop: Boolean
  }
`;
