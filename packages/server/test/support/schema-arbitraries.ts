import fc from 'fast-check';

/** The part of JSON Schema that @fastify/swagger writes for our zod schemas. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

/** Values to prefer for properties of a given name (ids, user names, states of real flows). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const SHORT = 24;

/** Strings of any Unicode, including lone surrogates and control characters. */
export const anyText = (maxLength = SHORT) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.constantFrom('\u0000', '\ud800', '\u202e', '🔑', 'İ', 'ß', '\r\n', '../', '%00'),
  );

function stringArbitrary(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? SHORT, SHORT));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (/url$|issuer$/i.test(name)) {
    return fc.oneof(fc.webUrl({ validSchemes: ['https', 'http'] }), anyText(maxLength));
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/**
 * Values that a schema accepts, or nearly: string formats the schema does not state (URLs,
 * ids) are guessed from the property's name or taken from `hints`.
 */
export function validArbitrary(
  schema: JsonSchema,
  hints: Hints = {},
  name = '',
): fc.Arbitrary<unknown> {
  const own = schemaArbitrary(schema, hints, name);
  const hint = hints[name];
  const value = hint ? fc.oneof(hint, own) : own;
  return schema.nullable ? fc.option(value, { nil: null }) : value;
}

function schemaArbitrary(schema: JsonSchema, hints: Hints, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((choice) => validArbitrary(choice, hints, name)));
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema, name);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validArbitrary(schema.items ?? {}, hints, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object':
      return objectArbitrary(schema, hints);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const record = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [key, validArbitrary(value, hints, key)]),
    ),
    { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
  );
  const extra = schema.additionalProperties;
  if (!extra || typeof extra !== 'object') return record;
  const more = fc.dictionary(
    fc.oneof(
      fc.constantFrom(...POLLUTING_KEYS, ...OAUTH_PARAMETERS),
      fc.string({ minLength: 1, maxLength: 12 }),
    ),
    validArbitrary(extra, hints),
    {
      maxKeys: 3,
    },
  );
  return fc.tuple(record, more).map(([known, added]) => ({ ...added, ...known }));
}

// ---------------------------------------------------------------------------------------------
// Mutations: one thing wrong with an otherwise valid-ish value.

/** Property names that have tripped JavaScript code before. */
export const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

/** Parameters of an authorization request that a connector's own ones must not replace. */
export const OAUTH_PARAMETERS = [
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'client_id',
  'response_type',
  'scope',
];

/** A value of any JSON type, oversize and odd ones included. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', [], {}),
  fc.integer(),
  fc.double(),
  anyText(),
  fc.constant('x'.repeat(20_000)),
  fc.constant({ polluted: 'yes' }),
  fc.integer({ min: 10, max: 200 }).map((depth) => nested(depth)),
  fc.jsonValue({ maxDepth: 3 }),
);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Sets an own property, even `__proto__`, so that JSON.stringify writes it. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The paths of every object (the root included) inside a value. */
function objectPaths(value: unknown, path: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const inner = Object.entries(value).flatMap(([key, child]) => objectPaths(child, [...path, key]));
  return [path, ...inner];
}

/** A deep copy with the object at `path` replaced by `change(copy of it)`. */
function changeAt(
  value: unknown,
  path: string[],
  change: (target: Record<string, unknown>) => void,
) {
  const copy = structuredClone(value) as Record<string, unknown>;
  let target = copy;
  for (const key of path) target = target[key] as Record<string, unknown>;
  change(target);
  return copy;
}

export type BodyMutation = { label: string; apply: (valid: unknown) => unknown };

/** Mutations of a JSON value: a missing, extra, wrongly typed or polluting field. */
export const mutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(([which, key]) => ({
    label: 'a field removed',
    apply: (valid: unknown) => {
      const paths = objectPaths(valid);
      const path = paths[which % Math.max(paths.length, 1)];
      if (!path) return undefined;
      return changeAt(valid, path, (target) => {
        const keys = Object.keys(target);
        if (keys.length) delete target[keys[key % keys.length] as string];
      });
    },
  })),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(fc.constantFrom(...POLLUTING_KEYS), fc.string({ maxLength: 12 })),
      junkValue,
    )
    .map(([which, key, junk]) => ({
      label: `field ${JSON.stringify(key)} added`,
      apply: (valid: unknown) => {
        const paths = objectPaths(valid);
        const path = paths[which % Math.max(paths.length, 1)];
        if (!path) return valid;
        return changeAt(valid, path, (target) => setOwn(target, key, junk));
      },
    })),
  fc.tuple(fc.nat(), fc.nat(), junkValue).map(([which, key, junk]) => ({
    label: 'a field of another type',
    apply: (valid: unknown) => {
      const paths = objectPaths(valid);
      const path = paths[which % Math.max(paths.length, 1)];
      if (!path) return junk;
      return changeAt(valid, path, (target) => {
        const keys = Object.keys(target);
        if (keys.length) target[keys[key % keys.length] as string] = junk;
      });
    },
  })),
  junkValue.map((junk) => ({ label: 'another value instead', apply: () => junk })),
);

/** Request bodies that are not JSON at all, or JSON that parsers trip over. */
export const malformedJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'undefined',
    "{'a':1}",
    '{"a":1}}',
    '{"a":',
    '\ufeff{}',
    '{"a":1,"a":2}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    'null',
    '1e999999',
    '"\\ud800"',
    `${'['.repeat(6000)}${']'.repeat(6000)}`,
    `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`,
  ),
  fc.string({ maxLength: 64, unit: 'binary' }),
);
