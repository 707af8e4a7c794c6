import { replaceLoneSurrogates } from '@coachwire/core';

/**
 * Text as Discord sent it, made storable: an unpaired UTF-16 surrogate (which has no UTF-8 form) becomes a
 * visible U+FFFD. The bot cannot refuse what a user typed, so it repairs it here, before core sees it;
 * core refuses such text from every other source. Null and undefined pass through.
 */
export function textFromDiscord<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? replaceLoneSurrogates(text) : text) as T;
}
