/**
 * Errors raised by the hook runtime's HTTP layer. Messages are printed by the hook into Terraform's
 * output and CI logs, so they must never carry credentials: only method, path (no query string),
 * status, the API's error code/message and the request id.
 */

const MAX_ERROR_MSG = 500;

/** The path of a URL without query string or fragment (queries may carry tokens or signatures). */
export function safePath(urlOrPath: string): string {
  const noQuery = urlOrPath.split(/[?#]/, 1)[0];
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(noQuery);
  const path = scheme ? noQuery.slice(scheme[0].length) : noQuery;
  return path || '/';
}

/** Replaces every occurrence of each secret (ignoring ones too short to matter) with `***`. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  // Belt and braces: signature and token header values that might be echoed back by a proxy.
  return out
    .replace(/(SDK-HMAC-SHA256\s+Access=)[^\s,]+/g, '$1***')
    .replace(/(Signature=)[0-9a-fA-F]+/g, '$1***')
    .replace(/((?:X-Auth-Token|X-Subject-Token|Authorization)\s*[:=]\s*)[^\s,;"]+/gi, '$1***');
}

export interface ApiErrorInit {
  readonly status: number;
  readonly method: string;
  /** URL or path; the query string is dropped. */
  readonly path: string;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  /** How many attempts were made, retries included. @default 1 */
  readonly attempts?: number;
  /** Service label used in the message. @default 'CBR' */
  readonly service?: string;
  /** Values to scrub from the message (keys, passwords, tokens) in case the server echoed them. */
  readonly secrets?: ReadonlyArray<string | undefined>;
}

/** The API answered with a non-2xx status. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly service: string;

  constructor(init: ApiErrorInit) {
    const method = init.method.toUpperCase();
    const path = safePath(init.path);
    const service = init.service ?? 'CBR';
    const attempts = init.attempts ?? 1;
    const secrets = init.secrets ?? [];
    const errorMsg = init.errorMsg === undefined ? undefined : truncate(scrubSecrets(init.errorMsg, secrets));
    const detail = [String(init.status), init.errorCode, errorMsg].filter((p) => p !== undefined && p !== '').join(' ');
    const suffix = [
      attempts > 1 ? `after ${attempts} attempts` : undefined,
      init.requestId ? `request id ${init.requestId}` : undefined,
    ].filter((p) => p !== undefined).join(', ');
    super(scrubSecrets(`${service} ${method} ${path} failed: ${detail}${suffix ? ` (${suffix})` : ''}`, secrets));
    this.name = 'ApiError';
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.errorMsg = errorMsg;
    this.requestId = init.requestId;
    this.method = method;
    this.path = path;
    this.attempts = attempts;
    this.service = service;
  }
}

export interface TransportErrorInit {
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** Low-level code of the last failure, e.g. ECONNRESET, UND_ERR_HEADERS_TIMEOUT. */
  readonly code?: string;
  /** Short description of the last failure. */
  readonly reason: string;
  /** Extra guidance for the user, e.g. how to trust a private CA. */
  readonly hint?: string;
  readonly service?: string;
  readonly cause?: unknown;
  readonly secrets?: ReadonlyArray<string | undefined>;
}

/** No usable HTTP response: connection refused/reset, timeout, TLS failure; retries included. */
export class TransportError extends Error {
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly code?: string;
  readonly service: string;

  constructor(init: TransportErrorInit) {
    const method = init.method.toUpperCase();
    const path = safePath(init.path);
    const service = init.service ?? 'CBR';
    const attempts = `${init.attempts} attempt${init.attempts === 1 ? '' : 's'}`;
    const code = init.code && !init.reason.includes(init.code) ? ` (${init.code})` : '';
    const hint = init.hint ? `. ${init.hint}` : '';
    super(scrubSecrets(`${service} ${method} ${path} failed after ${attempts}: ${truncate(init.reason)}${code}${hint}`, init.secrets ?? []),
      init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TransportError';
    this.method = method;
    this.path = path;
    this.attempts = init.attempts;
    this.code = init.code;
    this.service = service;
  }
}

/**
 * Not-found error codes of 7.2 for the objects the hooks manage: 6000 policy, 6105 vault,
 * 6002 "the vault is not applied with the policy".
 */
export const NOT_FOUND_ERROR_CODES: ReadonlySet<string> = new Set([
  'BackupService.6000',
  'BackupService.6105',
  'BackupService.6002',
]);

/**
 * True when the object does not exist: a documented not-found code, or a 404 from the service.
 * A 404 with an API Gateway code (APIGW.*) means a wrong endpoint or path, not a missing object,
 * so a misconfigured endpoint never makes a delete hook report "already gone".
 */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.errorCode && NOT_FOUND_ERROR_CODES.has(err.errorCode)) return true;
  return err.status === 404 && !(err.errorCode ?? '').toUpperCase().startsWith('APIGW');
}

function truncate(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ERROR_MSG ? `${flat.slice(0, MAX_ERROR_MSG)}...` : flat;
}
