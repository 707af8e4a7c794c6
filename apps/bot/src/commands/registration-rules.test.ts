import { commandListErrors } from '@coachwire/discord-emulator';
import { describe, expect, it } from 'vitest';
import { slashCommandData } from './registry.js';

// What deploy-commands sends, checked against Discord's rules for commands (as the emulator applies them on
// registration): lower-case names of 1-32 characters, descriptions of 1-100, required options first, at most 25
// options and choices, choices of 1-100 characters, and at most 8000 characters per command.
describe("every command's registration JSON", () => {
  it("follows Discord's command rules", () => {
    const commands = slashCommandData().map((command) => JSON.parse(JSON.stringify(command)));
    expect(commands.length).toBeGreaterThan(0);
    expect(commandListErrors(commands).tree()).toEqual({});
  });

  it('is refused when it breaks one, naming the command and the option', () => {
    const [first, ...rest] = slashCommandData().map((command) => JSON.parse(JSON.stringify(command)));
    const broken = { ...first, description: '' };
    expect(commandListErrors([broken, ...rest]).tree()).toMatchObject({
      0: { description: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
    });
  });
});
