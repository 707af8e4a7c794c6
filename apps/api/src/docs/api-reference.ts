// Renders API_REFERENCE.md from the OpenAPI document, so the reference can never drift from the schemas.

type Schema = Record<string, unknown>;
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<
    string,
    {
      description?: string;
      content?: Record<string, { schema?: Schema }>;
      headers?: Record<string, { required?: boolean }>;
    }
  >;
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

/** The Markdown reference of an OpenAPI 3 document: endpoints by tag, then the shared schemas. */
export function renderApiReference(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description?: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const tags = (document.tags as { name: string; description?: string }[] | undefined) ?? [];
  const components = (document.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ?? {};
  const titled = new Map<string, Schema>();
  const out: string[] = [
    `# ${info.title} reference (v${info.version})`,
    '',
    '<!-- Generated from the OpenAPI document by `pnpm --filter @coachwire/api docs:api`; do not edit by hand. -->',
    '',
    info.description ?? '',
    '',
    'The live document is served at `GET /openapi.json`, with Swagger UI at `/docs`.',
    '',
  ];

  for (const tag of tags) {
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]?.tags?.includes(tag.name)).map(
        (method) => [path, method, item[method]!] as const,
      ),
    );
    if (operations.length === 0) continue;
    out.push(`## ${capitalize(tag.name)}`, '', tag.description ?? '', '');
    for (const [path, method, operation] of operations) {
      out.push(...renderOperation(path, method, operation, titled));
    }
  }

  out.push('## Schemas', '');
  // Rendering a schema can name further titled schemas (Plan inside PlanPage): repeat until none is new.
  const sections = new Map<string, string[]>();
  while (sections.size < titled.size) {
    for (const [name, schema] of [...titled.entries()]) {
      if (sections.has(name)) continue;
      const section = [`### ${name}`, ''];
      if (typeof schema.description === 'string') section.push(schema.description, '');
      section.push(...fieldTable(schema, components, titled), '');
      sections.set(name, section);
    }
  }
  for (const name of [...sections.keys()].sort()) out.push(...sections.get(name)!);
  for (const [name, schema] of Object.entries(components)) {
    const about =
      typeof schema.description === 'string'
        ? schema.description
        : name === 'ErrorResponse'
          ? 'Every error response has this shape.'
          : '';
    out.push(`### ${name}`, '', about, '');
    out.push(...fieldTable(schema, components, titled), '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function renderOperation(
  path: string,
  method: string,
  operation: Operation,
  titled: Map<string, Schema>,
): string[] {
  const out = [`### \`${method.toUpperCase()} ${path}\``, ''];
  if (operation.summary) out.push(`${operation.summary}.`, '');
  if (operation.description) out.push(operation.description, '');
  if (operation.security && operation.security.length > 0) {
    out.push('Requires `Authorization: Bearer <key>`.', '');
  }
  const parameters = operation.parameters ?? [];
  for (const where of ['path', 'query', 'header']) {
    const list = parameters.filter((parameter) => parameter.in === where);
    if (list.length === 0) continue;
    out.push(
      `${capitalize(where)} parameters:`,
      '',
      '| Name | Type | Required | Description |',
      '| --- | --- | --- | --- |',
    );
    for (const parameter of list) {
      out.push(
        `| \`${parameter.name}\` | ${typeOf(parameter.schema ?? {}, titled)} | ${parameter.required ? 'yes' : 'no'} | ${cell(describe(parameter.schema ?? {}, parameter.description))} |`,
      );
    }
    out.push('');
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  if (body) out.push('Request body (JSON):', '', ...fieldTable(body, {}, titled), '');
  out.push('Responses:', '');
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const [contentType, content] = Object.entries(response.content ?? {})[0] ?? [];
    const schema = content?.schema;
    const shape = schema ? typeOf(schema, titled) : 'no body';
    const description =
      response.description && response.description !== 'Default Response' ? ` ${response.description}` : '';
    const headers = Object.entries(response.headers ?? {}).map(
      ([name, header]) => `\`${name}\`${header.required ? '' : ' (optional)'}`,
    );
    const headerNote = headers.length > 0 ? ` Headers: ${headers.join(', ')}.` : '';
    out.push(
      `- **${status}** ${contentType ? `\`${contentType}\` ` : ''}${shape}.${description}${headerNote}`,
    );
  }
  out.push('');
  return out;
}

function fieldTable(
  schema: Schema,
  components: Record<string, Schema>,
  titled: Map<string, Schema>,
): string[] {
  const resolved = resolveRef(schema, components);
  const rows: string[] = ['| Field | Type | Required | Description |', '| --- | --- | --- | --- |'];
  const properties = (resolved.properties as Record<string, Schema> | undefined) ?? {};
  const required = new Set((resolved.required as string[] | undefined) ?? []);
  for (const [name, property] of Object.entries(properties)) {
    rows.push(
      `| \`${name}\` | ${typeOf(property, titled)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(describe(property))} |`,
    );
  }
  if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object') {
    rows.push(`| *(any key)* | ${typeOf(resolved.additionalProperties as Schema, titled)} | no | |`);
  }
  return rows;
}

/** A short type name; titled object schemas are named and collected for the Schemas section. */
function typeOf(schema: Schema, titled: Map<string, Schema>, inline = false): string {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `[${name}](#${name.toLowerCase()})`;
  }
  if (typeof schema.title === 'string' && !inline && (schema.type === 'object' || schema.properties)) {
    titled.set(schema.title, schema);
    return `[${schema.title}](#${schema.title.toLowerCase()})`;
  }
  if (Array.isArray(schema.anyOf))
    return (schema.anyOf as Schema[]).map((item) => typeOf(item, titled)).join(' \\| ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  if (schema.type === 'array') return `${typeOf((schema.items as Schema) ?? {}, titled)}[]`;
  if (schema.type === 'object') {
    if (typeof schema.title === 'string') titled.set(schema.title, schema);
    const properties = Object.keys((schema.properties as Schema | undefined) ?? {});
    if (properties.length > 0) return `object {${properties.join(', ')}}`;
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return `object of ${typeOf(schema.additionalProperties as Schema, titled)}`;
    }
    return 'object';
  }
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

function describe(schema: Schema, fallback?: string): string {
  const parts: string[] = [];
  const description = (schema.description as string | undefined) ?? fallback;
  if (description) parts.push(description);
  if (schema.minimum !== undefined && schema.maximum !== undefined) {
    parts.push(
      `${schema.minimum}..${schema.maximum === Number.MAX_SAFE_INTEGER ? '2^53-1' : schema.maximum}.`,
    );
  }
  if (schema.default !== undefined) parts.push(`Default ${JSON.stringify(schema.default)}.`);
  if (typeof schema.maxLength === 'number') parts.push(`At most ${schema.maxLength} characters.`);
  return parts.join(' ');
}

function resolveRef(schema: Schema, components: Record<string, Schema>): Schema {
  if (typeof schema.$ref !== 'string') return schema;
  return components[schema.$ref.split('/').pop()!] ?? schema;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
