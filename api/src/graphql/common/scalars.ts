import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { invalidInput } from '../api-error.js';

const parseDate = (value: unknown): Date => {
  if (typeof value !== 'string') throw invalidInput('DateTime must be an ISO-8601 string');
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime()))
    throw invalidInput(`not an ISO-8601 date-time: ${value.slice(0, 40)}`);
  return date;
};

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseDate,
  parseLiteral: (node) => parseDate(node.kind === Kind.STRING ? node.value : undefined),
});

const parseBigInt = (value: unknown): bigint => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  throw invalidInput('BigInt must be an integer or a decimal string');
};

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  serialize: (value) => String(value),
  parseValue: parseBigInt,
  parseLiteral: (node) =>
    parseBigInt(
      node.kind === Kind.INT ? Number(node.value) : node.kind === Kind.STRING ? node.value : undefined,
    ),
});

const literalValue = (node: ValueNode): unknown => {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value)]));
    default:
      throw invalidInput('variables are not allowed inside a JSON literal');
  }
};

/** Bigints inside event data (versions, counters) travel as decimal strings. */
const jsonSafe = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)),
  );

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: jsonSafe,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});
