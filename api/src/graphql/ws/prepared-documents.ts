import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';

export type PreparedDocument =
  | Readonly<{ ok: true; document: DocumentNode }>
  | Readonly<{ ok: false; errors: readonly GraphQLError[] }>;

/** Documents kept; clients send the same few over and over. */
const CAPACITY = 1_000;

/**
 * Parses and validates subscription documents once per distinct text (HTTP documents go through
 * mercurius's own cache). Oldest entries leave first once the capacity is reached, so a client
 * sending endless distinct documents cannot grow it.
 */
export class PreparedDocuments {
  private readonly cache = new Map<string, PreparedDocument>();
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    extraRules: readonly ValidationRule[],
  ) {
    this.rules = [...specifiedRules, ...extraRules];
  }

  prepare(query: string): PreparedDocument {
    const known = this.cache.get(query);
    if (known) return known;
    const prepared = this.build(query);
    if (this.cache.size >= CAPACITY) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(query, prepared);
    return prepared;
  }

  private build(query: string): PreparedDocument {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: 10_000 });
    } catch (error) {
      return { ok: false, errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    const errors = validate(this.schema, document, this.rules);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, document };
  }
}
