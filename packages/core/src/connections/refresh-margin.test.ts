import { describe, expect, it } from 'vitest';
import { isTokenFresh, refreshMarginFor } from './refresh-margin';

const MARGIN_MS = 60_000;

describe('refreshMarginFor', () => {
  it('keeps the configured margin for a token that lives long enough', () => {
    expect(refreshMarginFor({ obtainedAt: 0, expiresAt: 3_600_000 }, MARGIN_MS)).toBe(MARGIN_MS);
  });

  it('caps it at half the lifetime of a short-lived token', () => {
    expect(refreshMarginFor({ obtainedAt: 1_000, expiresAt: 31_000 }, MARGIN_MS)).toBe(15_000);
  });

  it('is zero for a token that expired as it was obtained, never negative', () => {
    expect(refreshMarginFor({ obtainedAt: 5_000, expiresAt: 4_000 }, MARGIN_MS)).toBe(0);
  });
});

describe('isTokenFresh', () => {
  const token = { obtainedAt: 0, expiresAt: 30_000 };

  it('is fresh through the first half of a 30-second lifetime, stale after', () => {
    expect(isTokenFresh(token, 14_999, MARGIN_MS)).toBe(true);
    expect(isTokenFresh(token, 15_000, MARGIN_MS)).toBe(false);
  });

  it('is always fresh without a known expiry', () => {
    expect(isTokenFresh({ obtainedAt: 0, expiresAt: null }, 1e12, MARGIN_MS)).toBe(true);
  });
});
