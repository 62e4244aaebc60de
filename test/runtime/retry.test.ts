import {
  backoffDelay, isIdempotent, isRetryableErrorCode, isRetryableStatus, parseRetryAfter,
} from '../../src/runtime/http/retry';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 3, 16, 9, 53, 41);

  test('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  test('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Tue, 16 Apr 2024 09:53:51 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 16 Apr 2024 09:00:00 GMT', now)).toBe(0);
  });

  test.each([undefined, '', '  ', '-1', '1.5', 'soon', 'next tuesday'])('ignores %j', (v) => {
    expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const settings = { baseDelayMs: 500, maxDelayMs: 20_000 };

  test('doubles the ceiling per attempt up to the cap, with full jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, settings, () => 0.9999999))).toEqual(
      [499, 999, 1999, 3999, 7999, 15999, 19999, 19999]);
    expect(backoffDelay(5, settings, () => 0)).toBe(0);
  });

  test('stays within [0, ceiling) with the default random source', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, settings);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(2000);
    }
  });
});

describe('what is retried', () => {
  test('429 and 503 for every method; 500, 502 and 504 only for idempotent ones unless retryUnsafe', () => {
    for (const m of ['GET', 'PUT', 'DELETE', 'POST']) {
      expect(isRetryableStatus(429, m, false)).toBe(true);
      expect(isRetryableStatus(503, m, false)).toBe(true);
    }
    expect(isRetryableStatus(502, 'GET', false)).toBe(true);
    expect(isRetryableStatus(504, 'delete', false)).toBe(true);
    expect(isRetryableStatus(500, 'POST', false)).toBe(false);
    expect(isRetryableStatus(500, 'POST', true)).toBe(true);
    expect(isRetryableStatus(400, 'GET', true)).toBe(false);
    expect(isRetryableStatus(501, 'GET', true)).toBe(false);
  });

  test('connection errors before sending for every method; after sending only for idempotent ones', () => {
    expect(isRetryableErrorCode('ECONNREFUSED', 'POST', false)).toBe(true);
    expect(isRetryableErrorCode('UND_ERR_CONNECT_TIMEOUT', 'POST', false)).toBe(true);
    expect(isRetryableErrorCode('ECONNRESET', 'POST', false)).toBe(false);
    expect(isRetryableErrorCode('ECONNRESET', 'POST', true)).toBe(true);
    expect(isRetryableErrorCode('UND_ERR_SOCKET', 'GET', false)).toBe(true);
    expect(isRetryableErrorCode('UND_ERR_HEADERS_TIMEOUT', 'PUT', false)).toBe(true);
    expect(isRetryableErrorCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'GET', true)).toBe(false);
    expect(isRetryableErrorCode('ENOTFOUND', 'GET', true)).toBe(false);
    expect(isRetryableErrorCode(undefined, 'GET', true)).toBe(false);
  });

  test('idempotent methods', () => {
    expect(['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
  });
});
