import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { depthLimitRule } from '../../limits/depth-limit.js';
import { PreparedDocuments } from './prepared-documents.js';

const schema = buildSchema(`
  type Query { hello: String, nested: Nested }
  type Nested { inner: Nested, value: String }
  type Subscription { ticks: Int }
`);

describe('prepared documents', () => {
  it('parses and validates a document once, and answers the same text from memory', () => {
    const documents = new PreparedDocuments(schema, []);
    const first = documents.prepare('subscription { ticks }');
    expect(first.ok).toBe(true);
    expect(documents.prepare('subscription { ticks }')).toBe(first);
  });

  it('reports syntax errors, schema errors and the extra rules’ errors', () => {
    const documents = new PreparedDocuments(schema, [depthLimitRule({ maxDepth: 2 })]);
    const syntax = documents.prepare('subscription {');
    const unknown = documents.prepare('subscription { nope }');
    const deep = documents.prepare('{ nested { inner { value } } }');
    expect([syntax.ok, unknown.ok, deep.ok]).toEqual([false, false, false]);
    if (syntax.ok || unknown.ok || deep.ok) return;
    expect(syntax.errors[0]?.message).toMatch(/Syntax Error/);
    expect(unknown.errors[0]?.message).toMatch(/Cannot query field "nope"/);
    expect(deep.errors[0]?.message).toMatch(/too deep: depth 3/);
  });

  it('keeps at most a thousand documents, forgetting the oldest first', () => {
    const documents = new PreparedDocuments(schema, []);
    const oldest = documents.prepare('{ hello }');
    for (let i = 0; i < 1_000; i++) documents.prepare(`{ a${i}: hello }`);
    const newest = documents.prepare('{ a999: hello }');
    expect(documents.prepare('{ a999: hello }')).toBe(newest);
    expect(documents.prepare('{ hello }')).not.toBe(oldest);
  });
});
