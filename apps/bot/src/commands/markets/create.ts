import {
  assertMayCreateMarket,
  MAX_DESCRIPTION_LENGTH,
  MAX_QUESTION_LENGTH,
  type MechanismChoice,
  parseCloseTime,
  ValidationError,
  validateMarketSettings,
} from '@coachwire/core';
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { textReply } from '../../util/bot-reply.js';
import { defineCommand } from '../bot-command.js';

/** The custom id of the create form: `mkt:create:<closes ms>:<amm|pool>:<subsidy|->:<probability|->`. */
export const CREATE_MODAL = 'mkt:create:';
export const CREATE_USAGE =
  '/market create closes:<3h | 16:00 | 2026-11-27 16:00> [mechanism:amm|pool] [subsidy:<points>] [initial_probability:<0.01-0.99>]';

/** `/market create`: reads the settings from options, then opens a form for the question, options and description. */
export const createMarketCommand = defineCommand<Record<string, never>>({
  preconditions: ['listening-here', 'rate-limited'],
  slash: {
    group: 'market',
    name: 'create',
    description: 'Open a prediction market (a form asks for the question and options)',
    usage: CREATE_USAGE,
    ephemeral: true,
    build: (builder) =>
      builder
        .addStringOption((option) =>
          option
            .setName('closes')
            .setDescription('When betting stops: 3h, 16:00 (today) or 2026-11-27 16:00')
            .setRequired(true),
        )
        .addStringOption((option) =>
          option
            .setName('mechanism')
            .setDescription('amm (always has a price; default) or pool (parimutuel)')
            .addChoices({ name: 'amm', value: 'amm' }, { name: 'pool', value: 'pool' }),
        )
        .addIntegerOption((option) =>
          option
            .setName('subsidy')
            .setDescription('Points for the market maker (amm; default 100)')
            .setMinValue(100),
        )
        .addNumberOption((option) =>
          option
            .setName('initial_probability')
            .setDescription('Starting chance of Yes (Yes/No amm only), 0.01 to 0.99')
            .setMinValue(0.01)
            .setMaxValue(0.99),
        ),
    read: () => ({}),
    modal(context, invocation, options) {
      // Refused before the form, so nobody types a question only to be told they may not ask it.
      assertMayCreateMarket(invocation.actor, context.markets.policy);
      const now = new Date(context.clock.now());
      const closesAt = parseCloseTime(options.string('closes') ?? '', now, context.timezone);
      const mechanism = (options.string('mechanism') ?? 'amm') as MechanismChoice;
      if (mechanism !== 'amm' && mechanism !== 'pool')
        throw new ValidationError('The mechanism is amm or pool.', 'mechanism');
      const subsidy = options.integer('subsidy');
      const probability = options.number('initial_probability');
      // A close time already past (2026-11-20 16:00) or a subsidy over the maximum is refused now, not after
      // the member typed the question.
      validateMarketSettings(
        { closesAt, pool: mechanism === 'pool', subsidy, initialProbability: probability },
        now,
      );
      const settings = [Date.parse(closesAt), mechanism, subsidy ?? '-', probability ?? '-'].join(':');
      const field = (
        id: string,
        label: string,
        style: TextInputStyle,
        max: number,
        required: boolean,
        placeholder: string,
      ) =>
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder()
            .setCustomId(id)
            .setLabel(label)
            .setStyle(style)
            .setMaxLength(max)
            .setRequired(required)
            .setPlaceholder(placeholder),
        );
      return new ModalBuilder()
        .setCustomId(`${CREATE_MODAL}${settings}`)
        .setTitle('New market')
        .addComponents(
          field(
            'question',
            'Question',
            TextInputStyle.Short,
            Math.min(MAX_QUESTION_LENGTH, 4000),
            true,
            'Will SPY close green today?',
          ),
          field(
            'options',
            'Options, one per line (empty = Yes/No)',
            TextInputStyle.Paragraph,
            600,
            false,
            'Yes\nNo',
          ),
          field(
            'description',
            'Description (optional)',
            TextInputStyle.Paragraph,
            MAX_DESCRIPTION_LENGTH,
            false,
            'How it resolves',
          ),
        );
    },
  },
  // The slash form always opens the form; its submit (interactions/market-create-form.ts) creates the market.
  execute: async () => textReply('Fill in the form to create the market.', true),
});
