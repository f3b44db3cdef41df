/** People log in for a JWT pair; machines present API keys. Users, roles and keys are admin business. */
export const authTypeDefs = /* GraphQL */ `
  type Identity {
    organizationId: String!
    "'user' or 'api-key'."
    kind: String!
    id: String!
    displayName: String
    roles: [Role!]!
    "Operations this identity may call, so clients offer only those."
    permissions: [String!]!
  }

  type Session {
    accessToken: String!
    accessTokenExpiresAt: DateTime!
    refreshToken: String!
    refreshTokenExpiresAt: DateTime!
    identity: Identity!
  }

  type User {
    userId: String!
    email: String!
    displayName: String!
    roles: [Role!]!
    addedAt: DateTime!
  }

  type ApiKey {
    keyId: String!
    name: String!
    roles: [Role!]!
    expiresAt: DateTime
    issuedAt: DateTime!
    revokedAt: DateTime
  }

  "The only time the secret is shown: store it now."
  type IssuedApiKey {
    apiKey: ApiKey!
    "Send as 'Authorization: ApiKey <secret>' (or connection_init payload { apiKey })."
    secret: String!
    result: WriteResult!
  }

  input AddUserInput {
    userId: String
    email: String!
    displayName: String!
    password: String!
    roles: [Role!]
  }

  input IssueApiKeyInput {
    keyId: String
    name: String!
    roles: [Role!]!
    expiresAt: DateTime
  }

  extend type Query {
    users: [User!]!
    apiKeys: [ApiKey!]!
  }

  extend type Mutation {
    login(email: String!, password: String!, organizationId: String): Session!
    refreshSession(refreshToken: String!): Session!
    addUser(input: AddUserInput!, expectedVersion: BigInt): WriteResult!
    "Ends the login this refresh token belongs to (every token rotated from it)."
    logout(refreshToken: String!): Boolean!
    "A user changes their own password (currentPassword required); admins may set anyone's. Ends the user's refresh sessions."
    setPassword(userId: String!, password: String!, currentPassword: String): Boolean!
    grantRole(userId: String!, role: Role!, expectedVersion: BigInt): WriteResult!
    revokeRole(userId: String!, role: Role!, expectedVersion: BigInt): WriteResult!
    issueApiKey(input: IssueApiKeyInput!, expectedVersion: BigInt): IssuedApiKey!
    revokeApiKey(keyId: String!, expectedVersion: BigInt): WriteResult!
  }
`;
