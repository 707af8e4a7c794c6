import type { Json } from './entities.js';
import { characters, FormErrors, items } from './form-errors.js';

// Discord's rules for registering application commands:
// https://discord.com/developers/docs/interactions/application-commands#application-command-object

type Path = readonly (string | number)[];

/** A name of a chat-input command or option: 1-32 letters, digits, '-', '_' or "'", no upper case. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** The name, description and choice characters of one command together. */
const COMMAND_SIZE = 8000;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const STRING = 3;
const CHOICE_TYPES = new Set([3, 4, 10]);

/** What one command breaks; `at` is its place in a bulk overwrite. */
export function commandErrors(command: Json, errors = new FormErrors(), at: Path = []): FormErrors {
  const type = Number(command.type ?? 1);
  if (type !== 1) {
    // User and message commands: a name of 1-32 characters, no description.
    errors.length([...at, 'name'], command.name, 32, 1);
    return errors;
  }
  nameErrors(command.name, errors, [...at, 'name']);
  descriptionErrors(command.description, errors, [...at, 'description']);
  optionListErrors(items(command.options), errors, [...at, 'options'], 0);
  if (commandSize(command) > COMMAND_SIZE)
    errors.add(at, 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${COMMAND_SIZE})`);
  return errors;
}

/** What a bulk overwrite breaks: each command's rules, at most 100 chat-input commands, names unique. */
export function commandListErrors(commands: Json[]): FormErrors {
  const errors = new FormErrors();
  const chatInput = commands.filter((command) => Number(command.type ?? 1) === 1);
  if (chatInput.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  commands.forEach((command, index) => {
    commandErrors(command, errors, [index]);
    const key = `${Number(command.type ?? 1)}:${String(command.name)}`;
    if (seen.has(key))
      errors.add(
        [index, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        `Application command names must be unique`,
      );
    seen.add(key);
  });
  return errors;
}

function nameErrors(name: unknown, errors: FormErrors, path: Path): void {
  if (!errors.required(path, name)) return;
  const text = String(name);
  if (!CHAT_INPUT_NAME.test(text) || text !== text.toLowerCase())
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

function descriptionErrors(description: unknown, errors: FormErrors, path: Path): void {
  if (errors.required(path, description)) errors.length(path, description, 100, 1);
}

function optionListErrors(options: Json[], errors: FormErrors, at: Path, depth: number): void {
  errors.count(at, options, 25);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((option, index) => {
    const path = [...at, index];
    const type = Number(option.type);
    nameErrors(option.name, errors, [...path, 'name']);
    descriptionErrors(option.description, errors, [...path, 'description']);
    if (names.has(String(option.name)))
      errors.add(
        [...path, 'name'],
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        'Option names must be unique',
      );
    names.add(String(option.name));
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      // A group holds subcommands; a subcommand holds plain options; neither mixes with plain options.
      const allowed = depth === 0 || (depth === 1 && type === SUBCOMMAND);
      if (!allowed || options.some((other) => ![SUBCOMMAND, SUBCOMMAND_GROUP].includes(Number(other.type))))
        errors.add([...path, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Invalid option type');
      const children = items(option.options);
      if (type === SUBCOMMAND_GROUP && children.some((child) => Number(child.type) !== SUBCOMMAND))
        errors.add([...path, 'options'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Invalid option type');
      optionListErrors(children, errors, [...path, 'options'], depth + 1);
      return;
    }
    if (option.required === true && optionalSeen)
      errors.add(
        [...path, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    if (option.required !== true) optionalSeen = true;
    choiceErrors(option, type, errors, path);
    for (const bound of ['min_length', 'max_length'] as const) {
      const value = option[bound];
      if (typeof value === 'number' && (value < (bound === 'min_length' ? 0 : 1) || value > 6000))
        errors.add([...path, bound], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 6000.');
    }
  });
}

function choiceErrors(option: Json, type: number, errors: FormErrors, path: Path): void {
  const choices = option.choices;
  if (!Array.isArray(choices)) return;
  if (!CHOICE_TYPES.has(type))
    errors.add([...path, 'choices'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Invalid option type');
  if (option.autocomplete === true && choices.length > 0)
    errors.add(
      [...path, 'autocomplete'],
      'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
      'Autocomplete cannot be set on an option with choices',
    );
  errors.count([...path, 'choices'], choices, 25);
  items(choices).forEach((choice, index) => {
    errors.length([...path, 'choices', index, 'name'], choice.name, 100, 1);
    if (type === STRING) errors.length([...path, 'choices', index, 'value'], choice.value, 100, 1);
  });
}

/** Characters of every name, description and choice value of a command, its options and choices. */
function commandSize(command: Json): number {
  const text = (value: unknown) => (typeof value === 'string' ? characters(value) : 0);
  const option = (entry: Json): number =>
    text(entry.name) +
    text(entry.description) +
    items(entry.choices).reduce(
      (sum, choice) => sum + text(choice.name) + String(choice.value ?? '').length,
      0,
    ) +
    items(entry.options).reduce((sum, child) => sum + option(child), 0);
  return option(command);
}
