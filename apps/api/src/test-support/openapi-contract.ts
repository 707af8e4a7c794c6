import AjvCompiler from '@fastify/ajv-compiler';
import { expect } from 'vitest';

interface MediaType {
  readonly schema?: object;
}
interface ResponseObject {
  readonly content?: Record<string, MediaType>;
  readonly headers?: Record<string, { readonly required?: boolean }>;
}
interface Operation {
  readonly responses: Record<string, ResponseObject>;
}
/** The parts of an OpenAPI 3.1 document that the contract check reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, object> };
}

/** An answer as the wire carried it. */
export interface WireAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

const DOCUMENT_ID = 'coachwire-openapi';
/** Headers a client acts on: where one is sent, the document must say so. */
const CONTRACT_HEADERS = ['etag', 'retry-after', 'idempotent-replayed', 'location'];

type CompileValidator = ReturnType<ReturnType<typeof AjvCompiler>>;
type Validate = ReturnType<CompileValidator>;

/**
 * Checks real answers against the OpenAPI document the API serves: the route and its status are documented,
 * the Content-Type is one documented for that status, the body validates against that status's schema,
 * every header documented as required is sent, and every header a client acts on that is sent is documented. Validation uses Ajv as Fastify builds it, without its
 * coercion, defaults or removal of unknown fields, so the body is checked exactly as a client receives it.
 */
export class OpenApiContract {
  readonly #document: OpenApiDocument;
  readonly #routes: { template: string; pattern: RegExp }[];
  readonly #compile: CompileValidator;
  readonly #validators = new Map<object, Validate>();

  constructor(document: OpenApiDocument) {
    this.#document = document;
    this.#routes = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    this.#compile = AjvCompiler()(
      { [DOCUMENT_ID]: { $id: DOCUMENT_ID, components: document.components } },
      {
        customOptions: {
          coerceTypes: false,
          useDefaults: false,
          removeAdditional: false,
          allErrors: true,
          strict: false,
        },
      },
    );
  }

  /** The documented path template that `path` (without its query) matches, e.g. `/api/v1/plans/{id}`. */
  templateOf(path: string): string | undefined {
    const bare = path.split('?')[0] ?? path;
    // A literal segment beats a parameter: /charts/by-hash/{sha256} before /charts/{id}.
    const matches = this.#routes.filter((route) => route.pattern.test(bare));
    matches.sort((a, b) => countParams(a.template) - countParams(b.template));
    return matches[0]?.template;
  }

  /** Asserts that `answer` to `method path` is what the document promises; answers its JSON body, if any. */
  check(method: string, path: string, answer: WireAnswer): unknown {
    const where = `${method} ${path} -> ${answer.status} ${answer.body.slice(0, 200)}`;
    const template = this.templateOf(path);
    expect(template, `undocumented route: ${where}`).toBeDefined();
    const operations = this.#document.paths[template as string] ?? {};
    const operation = operations[method.toLowerCase()] ?? (method === 'HEAD' ? operations.get : undefined);
    expect(operation, `undocumented method: ${where}`).toBeDefined();
    const response = (operation as Operation).responses[String(answer.status)];
    expect(response, `undocumented status: ${where}`).toBeDefined();
    const documented = response as ResponseObject;
    const documentedHeaders = Object.entries(documented.headers ?? {});
    for (const [name, header] of documentedHeaders) {
      if (header.required)
        expect(answer.headers.get(name), `missing header ${name}: ${where}`).not.toBeNull();
    }
    for (const name of CONTRACT_HEADERS) {
      if (answer.headers.get(name) === null) continue;
      const names = documentedHeaders.map(([documentedName]) => documentedName.toLowerCase());
      expect(names, `header ${name} sent but not documented: ${where}`).toContain(name);
    }
    if (method === 'HEAD' || answer.status === 304 || answer.status === 204) {
      expect(answer.body, `a body on an answer without one: ${where}`).toBe('');
      return undefined;
    }
    const mediaTypes = Object.keys(documented.content ?? {});
    if (mediaTypes.length === 0) {
      expect(answer.body, `a body where none is documented: ${where}`).toBe('');
      return undefined;
    }
    const contentType = answer.headers.get('content-type') ?? '';
    const mediaType = mediaTypes.find((type) => mediaTypeMatches(type, contentType));
    expect(
      mediaType,
      `Content-Type ${contentType} is not among ${mediaTypes.join(', ')}: ${where}`,
    ).toBeDefined();
    if (!contentType.startsWith('application/json')) return answer.body;
    const schema = documented.content?.[mediaType as string]?.schema;
    const json = JSON.parse(answer.body) as unknown;
    if (schema) {
      const validate = this.#validatorFor(schema);
      const valid = validate(json);
      expect(valid ? [] : validate.errors, `body does not match the schema: ${where}`).toEqual([]);
    }
    return json;
  }

  /** Fetches `path` from `base` and checks the answer; answers the wire answer and its JSON body. */
  async request(
    base: string,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<WireAnswer & { json: unknown }> {
    const response = await fetch(base + path, {
      method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const answer = { status: response.status, headers: response.headers, body: await response.text() };
    return { ...answer, json: this.check(method, path, answer) };
  }

  #validatorFor(schema: object) {
    let validate = this.#validators.get(schema);
    if (!validate) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
      ) as object;
      validate = this.#compile({ schema: rewritten, method: 'GET', url: '/', httpPart: 'body' });
      this.#validators.set(schema, validate);
    }
    return validate;
  }
}

function countParams(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

function mediaTypeMatches(documented: string, contentType: string): boolean {
  const actual = contentType.split(';')[0]?.trim() ?? '';
  return documented.endsWith('/*') ? actual.startsWith(documented.slice(0, -1)) : actual === documented;
}
