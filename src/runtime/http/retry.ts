/** Retry decisions, kept free of I/O so they can be tested on their own. */

export interface RetrySettings {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** Wall-clock budget for all attempts and waits together, in ms. */
  readonly budgetMs: number;
  /** First backoff ceiling, in ms; doubled each attempt. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, in ms. */
  readonly maxDelayMs: number;
}

/** Statuses worth retrying whatever the method: the server says it did not process the request. */
export const ALWAYS_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);
/** Statuses retried for idempotent methods only: the write may have happened behind a gateway. */
export const IDEMPOTENT_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);

/** Connection failures that happen before any byte of the request reaches the server. */
export const PRE_SEND_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN',
]);
/** Failures after the request may have been sent: retrying a non-idempotent request could repeat it. */
export const POST_SEND_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_ABORTED',
]);

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Whether a response status may be retried; `retryUnsafe` treats every method as idempotent. */
export function isRetryableStatus(status: number, method: string, retryUnsafe: boolean): boolean {
  if (ALWAYS_RETRYABLE_STATUSES.has(status)) return true;
  return IDEMPOTENT_RETRYABLE_STATUSES.has(status) && (retryUnsafe || isIdempotent(method));
}

/** Whether a failure with this error code may be retried. */
export function isRetryableErrorCode(code: string | undefined, method: string, retryUnsafe: boolean): boolean {
  if (code === undefined) return false;
  if (PRE_SEND_ERROR_CODES.has(code)) return true;
  return POST_SEND_ERROR_CODES.has(code) && (retryUnsafe || isIdempotent(method));
}

/** Capped exponential backoff with full jitter: uniform in [0, min(max, base * 2^(attempt-1))). */
export function backoffDelay(attempt: number, settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as a delay in ms: delta-seconds or an HTTP date (RFC 9110 10.2.3).
 * Undefined when absent or unparsable; a date in the past means 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Only accept something that looks like an HTTP date, not any string Date.parse tolerates.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
