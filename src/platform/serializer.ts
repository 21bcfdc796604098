// Response serialisation through the routes' schemas, with nullable fields made cheap.
//
// TypeBox writes a nullable field as `anyOf: [X, {type: 'null'}]`, which is how the OpenAPI
// document shows it. fast-json-stringify serialises an `anyOf` by running a full Ajv
// validation of each branch against the value, every time: a nullable date-time runs the
// date and time format checks, a nullable team reference validates the whole object. The
// profile of /health showed Ajv and ajv-formats at 4% of the server's time, and every page
// of matches carries dozens of such fields.
//
// The serialiser does not need to know which branch is valid, only how to write the value,
// so it is given a copy of each schema in which such unions are written as type lists
// (`type: ['string', 'null']`), which fast-json-stringify serialises with a typeof check.
// The route's own schema (validation, the OpenAPI document) is left as it is.
import fastJsonStringify, { type Options } from 'fast-json-stringify';

type Schema = Record<string, unknown>;
const SCALAR = new Set(['string', 'number', 'integer', 'boolean', 'null']);
// Keywords a serialiser ignores on a scalar: what matters is how the value is written.
const SCALAR_ONLY = new Set(['type', 'const', 'enum', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'description', 'title', 'examples', 'default', 'nullable']);
const isObject = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A single-typed option with no $ref and no union of its own, or null when it is not one. */
function plainType(option: unknown): string | null {
  if (!isObject(option) || typeof option.type !== 'string' || '$ref' in option || 'anyOf' in option || 'oneOf' in option || 'allOf' in option) return null;
  return option.type;
}

/** The union written as a type list when that serialises the same values the same way. */
function asTypeList(node: Schema): Schema | null {
  const options = node.anyOf as unknown[];
  const types = options.map(plainType);
  if (types.some((t) => t === null)) return null;
  const { anyOf: _anyOf, ...siblings } = node;
  // Scalars only (string literals, nullable strings and numbers…): the value's type decides.
  if (types.every((t) => SCALAR.has(t!))) {
    const distinct = [...new Set(types as string[])];
    // integer beside number would truncate one of them; keep those as they are.
    if (distinct.includes('integer') && distinct.includes('number')) return null;
    // Options that differ only in const/format/… (string literals) write the same way.
    const keep = options.map((o) => Object.keys(o as Schema).filter((k) => !SCALAR_ONLY.has(k)));
    if (keep.some((k) => k.length > 0)) return null;
    // A lone string option keeps its format: a Date is written as a date or a date-time.
    const strings = options.filter((o) => (o as Schema).type === 'string') as Schema[];
    const format = strings.length === 1 ? strings[0]!.format : undefined;
    return { ...siblings, type: distinct.length === 1 ? distinct[0] : distinct, ...(format !== undefined ? { format } : {}) };
  }
  // One structured option (an object or an array) or null.
  if (options.length === 2 && types.includes('null')) {
    const other = options[types[0] === 'null' ? 1 : 0] as Schema;
    return { ...other, ...siblings, type: [other.type, 'null'] };
  }
  return null;
}

/** A copy of the schema with nullable unions written as type lists; the input is not changed. */
export function forSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialization);
  if (!isObject(schema)) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Literal values are data, not schemas.
    copy[key] = key === 'const' || key === 'enum' || key === 'default' || key === 'examples' ? value : forSerialization(value);
  }
  if (Array.isArray(copy.anyOf)) return asTypeList(copy) ?? copy;
  return copy;
}

/**
 * Fastify's serializer factory (`schemaController.compilersFactory.buildSerializer`): the
 * default fast-json-stringify compiler, given the simplified copies of the route's response
 * schema and of the shared schemas it may reference.
 */
export function buildSerializer(externalSchemas: unknown, serializerOpts?: unknown) {
  const shared = Object.fromEntries(Object.entries((externalSchemas ?? {}) as Record<string, unknown>).map(([id, s]) => [id, forSerialization(s)]));
  return ({ schema }: { schema?: unknown }) => {
    const simplified = forSerialization(schema) as Schema;
    const refs = { ...shared };
    // A route schema that is itself a shared schema must not be passed twice.
    if (typeof simplified.$id === 'string') delete refs[simplified.$id];
    return fastJsonStringify(simplified, { ...(serializerOpts as Options | undefined), schema: refs as Options['schema'] });
  };
}
