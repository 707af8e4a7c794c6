import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderApiReference } from '../src/docs/api-reference.js';
import { buildOpenApiDocument } from '../src/docs/openapi-document.js';

/** Where the generated reference is committed: the repository root. */
export const API_REFERENCE_PATH = fileURLToPath(new URL('../../../API_REFERENCE.md', import.meta.url));

const markdown = renderApiReference(await buildOpenApiDocument());
writeFileSync(API_REFERENCE_PATH, markdown);
console.log(`Wrote ${API_REFERENCE_PATH} (${markdown.length} characters).`);
