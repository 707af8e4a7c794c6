import { type Static, type TSchema, Type } from 'typebox';

/**
 * A primitive schema that also accepts null, written as `type: [t, 'null']` rather than `anyOf`: the JSON
 * serializer handles a type list with a cheap typeof check, while `anyOf` makes it validate every value.
 */
export function nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}
