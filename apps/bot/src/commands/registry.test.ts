import { describe, expect, it } from 'vitest';
import { type BotCommand, defineCommand, slashPath } from './bot-command.js';
import { BOT_COMMANDS, findSlashCommand, slashCommandData } from './registry.js';
import { showCommand } from './show.js';

const textCommand = (slash: BotCommand['slash']): BotCommand =>
  defineCommand<Record<string, never>>({
    preconditions: [],
    ...(slash ? { slash: { ...slash, read: () => ({}) } } : {}),
    execute: async () => ({ views: [], ephemeral: true }),
  });

const form = (group: 'market' | 'portfolio', name?: string) => ({
  group,
  ...(name ? { name } : {}),
  description: `${group} ${name ?? ''}`.trim(),
  usage: '/x',
  ephemeral: true,
  build: <B>(builder: B) => builder,
  read: () => ({}),
});

describe('the slash registry', () => {
  it('groups forms under their top-level command, and a form without a name is a command of its own', () => {
    const commands = [
      showCommand,
      textCommand(form('market', 'create')),
      textCommand(form('market', 'show')),
      textCommand(form('portfolio')),
    ];
    const data = slashCommandData(commands);
    expect(data.map((command) => command.name)).toEqual(['plan', 'market', 'portfolio']);
    expect(data[1]?.options?.map((option) => option.name)).toEqual(['create', 'show']);
    expect(data[2]).toMatchObject({ description: 'portfolio', options: [] });
    expect(findSlashCommand(commands, 'market', 'show')).toBe(commands[2]);
    expect(findSlashCommand(commands, 'portfolio', null)).toBe(commands[3]);
    expect(findSlashCommand(commands, 'plan', 'show')).toBe(showCommand);
    expect(findSlashCommand(commands, 'market', 'delete')).toBeUndefined();
    expect(slashPath(form('market', 'create'))).toBe('/market create');
    expect(slashPath(form('portfolio'))).toBe('/portfolio');
  });

  it('gives every registered slash form a unique path', () => {
    const paths = BOT_COMMANDS.flatMap((command) => (command.slash ? [slashPath(command.slash)] : []));
    expect(new Set(paths).size).toBe(paths.length);
  });
});
