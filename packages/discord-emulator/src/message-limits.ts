import type { Json } from './entities.js';
import { characters, FormErrors, items } from './form-errors.js';

// Discord's limits on what a bot sends: messages (content, embeds, components, allowed mentions), autocomplete
// answers and modals. https://discord.com/developers/docs/resources/message#embed-object-embed-limits and
// https://discord.com/developers/docs/components/reference

type Path = readonly (string | number)[];

const EMBED_TOTAL = 6000;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
/** IS_COMPONENTS_V2: another layout with its own rules, which the emulator does not check. */
const COMPONENTS_V2 = 1 << 15;

/** What a message body (create, edit, interaction reply or follow-up) breaks; `at` prefixes the paths. */
export function messageErrors(body: Json, errors = new FormErrors(), at: Path = []): FormErrors {
  errors.length([...at, 'content'], body.content, 2000);
  if (Array.isArray(body.embeds)) embedErrors(body.embeds as Json[], errors, [...at, 'embeds']);
  if (Array.isArray(body.components) && (Number(body.flags ?? 0) & COMPONENTS_V2) === 0)
    componentErrors(body.components as Json[], errors, [...at, 'components'], 'message');
  const mentions = body.allowed_mentions as Json | undefined;
  if (mentions && typeof mentions === 'object') {
    const parse = items(mentions.parse) as unknown as string[];
    for (const kind of ['users', 'roles'] as const) {
      errors.count([...at, 'allowed_mentions', kind], mentions[kind], 100);
      if (parse.includes(kind) && Array.isArray(mentions[kind]))
        errors.add(
          [...at, 'allowed_mentions'],
          'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
          `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
        );
    }
  }
  return errors;
}

function embedErrors(embeds: Json[], errors: FormErrors, at: Path): void {
  errors.count(at, embeds, 10);
  let total = 0;
  const measure = (value: unknown) => {
    if (typeof value === 'string') total += characters(value);
  };
  embeds.forEach((embed, index) => {
    const path = [...at, index];
    errors.length([...path, 'title'], embed.title, 256);
    errors.length([...path, 'description'], embed.description, 4096);
    measure(embed.title);
    measure(embed.description);
    const footer = embed.footer as Json | undefined;
    errors.length([...path, 'footer', 'text'], footer?.text, 2048);
    measure(footer?.text);
    const author = embed.author as Json | undefined;
    errors.length([...path, 'author', 'name'], author?.name, 256);
    measure(author?.name);
    errors.count([...path, 'fields'], embed.fields, 25);
    items(embed.fields).forEach((field, fieldIndex) => {
      const fieldPath = [...path, 'fields', fieldIndex];
      if (errors.required([...fieldPath, 'name'], field.name))
        errors.length([...fieldPath, 'name'], field.name, 256);
      if (errors.required([...fieldPath, 'value'], field.value))
        errors.length([...fieldPath, 'value'], field.value, 1024);
      measure(field.name);
      measure(field.value);
    });
  });
  if (total > EMBED_TOTAL)
    errors.add(at, 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${EMBED_TOTAL}`);
}

/** Action rows of a message (buttons, select menus) or of a modal (text inputs). */
function componentErrors(rows: Json[], errors: FormErrors, at: Path, where: 'message' | 'modal'): void {
  errors.count(at, rows, 5, where === 'modal' ? 1 : 0);
  const customIds = new Set<string>();
  rows.forEach((row, rowIndex) => {
    const rowPath = [...at, rowIndex];
    if (row.type !== 1) return;
    const children = items(row.components);
    errors.count([...rowPath, 'components'], children, 5, 1);
    const selects = children.filter((child) => SELECT_TYPES.has(Number(child.type))).length;
    const inputs = children.filter((child) => child.type === 4).length;
    if ((selects > 0 || inputs > 0) && children.length > 1)
      errors.add(
        [...rowPath, 'components'],
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    children.forEach((child, index) => {
      const path = [...rowPath, 'components', index];
      const customId = child.custom_id;
      if (typeof customId === 'string') {
        errors.length([...path, 'custom_id'], customId, 100, 1);
        if (customIds.has(customId))
          errors.add(
            [...path, 'custom_id'],
            'COMPONENT_CUSTOM_ID_DUPLICATED',
            'Component custom id cannot be duplicated',
          );
        customIds.add(customId);
      } else if (!(child.type === 2 && (child.style === 5 || child.style === 6))) {
        // Only link and premium buttons go without a custom id.
        errors.required([...path, 'custom_id'], customId);
      }
      if (child.type === 2) errors.length([...path, 'label'], child.label, 80);
      if (SELECT_TYPES.has(Number(child.type))) selectErrors(child, errors, path);
      if (child.type === 4) textInputErrors(child, errors, path);
    });
  });
}

function selectErrors(select: Json, errors: FormErrors, path: Path): void {
  errors.length([...path, 'placeholder'], select.placeholder, 150);
  if (select.type !== 3) return;
  errors.count([...path, 'options'], select.options, 25, 1);
  items(select.options).forEach((option, index) => {
    const optionPath = [...path, 'options', index];
    errors.length([...optionPath, 'label'], option.label, 100, 1);
    errors.length([...optionPath, 'value'], option.value, 100, 1);
    errors.length([...optionPath, 'description'], option.description, 100);
  });
}

function textInputErrors(input: Json, errors: FormErrors, path: Path): void {
  if (errors.required([...path, 'label'], input.label)) errors.length([...path, 'label'], input.label, 45);
  errors.length([...path, 'placeholder'], input.placeholder, 100);
  errors.length([...path, 'value'], input.value, 4000);
  for (const bound of ['min_length', 'max_length'] as const) {
    const value = input[bound];
    if (typeof value === 'number' && (value < (bound === 'min_length' ? 0 : 1) || value > 4000))
      errors.add([...path, bound], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 4000.');
  }
}

/** What an autocomplete answer (callback type 8) breaks: at most 25 choices, names 1-100, values up to 100. */
export function autocompleteErrors(data: Json, errors = new FormErrors()): FormErrors {
  errors.count(['data', 'choices'], data.choices, 25);
  items(data.choices).forEach((choice, index) => {
    const path = ['data', 'choices', index];
    errors.length([...path, 'name'], choice.name, 100, 1);
    errors.length([...path, 'value'], choice.value, 100);
  });
  return errors;
}

/** What a modal (callback type 9) breaks: title 1-45, custom id 1-100, one to five rows of text inputs. */
export function modalErrors(data: Json, errors = new FormErrors()): FormErrors {
  if (errors.required(['data', 'title'], data.title)) errors.length(['data', 'title'], data.title, 45, 1);
  if (errors.required(['data', 'custom_id'], data.custom_id))
    errors.length(['data', 'custom_id'], data.custom_id, 100, 1);
  componentErrors(items(data.components), errors, ['data', 'components'], 'modal');
  return errors;
}
