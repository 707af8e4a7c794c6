import { describe, expect, it } from 'vitest';
import { formatBrier, formatOdds, formatPoints, formatProbability, poolShares } from './probability';

describe('formatProbability', () => {
  it('shows whole percents', () => {
    expect(formatProbability(0.6234)).toBe('62%');
    expect(formatProbability(0.5)).toBe('50%');
    expect(formatProbability(0.015)).toBe('2%');
  });

  it('never rounds an undecided market to 0% or 100%', () => {
    expect(formatProbability(0.004)).toBe('<1%');
    expect(formatProbability(0.996)).toBe('>99%');
    expect(formatProbability(0.991)).toBe('>99%');
  });

  it('shows certainty only when it is exact', () => {
    expect(formatProbability(0)).toBe('0%');
    expect(formatProbability(1)).toBe('100%');
  });

  it('shows a dash when there is no number', () => {
    expect(formatProbability(null)).toBe('–');
    expect(formatProbability(undefined)).toBe('–');
    expect(formatProbability(Number.NaN)).toBe('–');
  });
});

describe('parimutuel numbers', () => {
  it('splits the pot into shares that sum to 1', () => {
    expect(poolShares([300, 100])).toStrictEqual([0.75, 0.25]);
    expect(poolShares([0, null])).toStrictEqual([0, 0]);
  });

  it('gives odds as total over pool', () => {
    expect(formatOdds(4)).toBe('4.00×');
    expect(formatOdds(1.3333)).toBe('1.33×');
    expect(formatOdds(null)).toBe('–');
  });
});

describe('points and scores', () => {
  it('groups points', () => {
    expect(formatPoints(12500)).toBe('12,500 pts');
  });

  it('gives the Brier score to three decimals', () => {
    expect(formatBrier(0.18333)).toBe('0.183');
    expect(formatBrier(null)).toBe('–');
  });
});
