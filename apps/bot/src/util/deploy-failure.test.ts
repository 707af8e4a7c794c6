import { describe, expect, it } from 'vitest';
import { describeDeployFailure } from './deploy-failure.js';

describe('describeDeployFailure', () => {
  it('says Discord did not answer in time when the request was aborted, not to check the token', () => {
    // What discord.js's REST throws when its timeout aborts a request that got no answer.
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    const { reason, fix } = describeDeployFailure(aborted, '123456789012345678');
    expect(reason).toBe('Discord did not answer in time (the request was aborted after its timeout).');
    expect(fix).toMatch(/^this machine reached no answer from Discord/);
    expect(fix).not.toContain('DISCORD_BOT_TOKEN');
  });
});
