import AjvCompiler from '@fastify/ajv-compiler';

type BuildValidator = ReturnType<typeof AjvCompiler>;

// One pool for both flavours, as Fastify keeps one: it caches a compiler per set of options.
const compilers = AjvCompiler();

/**
 * Fastify's own validator (@fastify/ajv-compiler, its default options), except that JSON bodies keep their
 * types. Fastify coerces every part by default, which suits query strings, path parameters and headers (text
 * on the wire), but in a JSON body it turned `null` and `false` into option 0, `true` into 1 and `"10"` into
 * 10: a client's mistake became a bet on an option it never named. Set as the server's
 * `schemaController.compilersFactory.buildValidator`.
 */
export const buildValidator: BuildValidator = (externalSchemas, options) => {
  const coercing = compilers(externalSchemas, options);
  if (options?.mode === 'JTD') return coercing;
  const strict = compilers(externalSchemas, {
    ...options,
    customOptions: { ...options?.customOptions, coerceTypes: false },
  });
  // Fastify calls the compiler with its route schema definition ({ schema, method, url, httpPart });
  // the package's typings call that argument a schema.
  return (definition, meta) =>
    typeof definition === 'object' && 'httpPart' in definition && definition.httpPart === 'body'
      ? strict(definition, meta)
      : coercing(definition, meta);
};
