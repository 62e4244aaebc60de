import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

import { backoffDelay, isIdempotent, isRetryableErrorCode, isRetryableStatus, parseRetryAfter, RetrySettings } from './retry';
import { TransportError } from '../errors';
import { readSettings, Settings, SETTINGS } from '../settings';

const CA_FILE = SETTINGS.caFile.env;

/* eslint-disable @typescript-eslint/no-require-imports */
// Deep requires instead of the package entry, which also evaluates fetch, WebSocket, caches and
// mocks: every hook is a fresh process, and that start-up cost (~90 ms) would be paid per object.
const dispatchRequest: (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData> = require('undici/lib/api/api-request');
const Agent: typeof UndiciAgent = require('undici/lib/dispatcher/agent');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface HttpRequest {
  readonly method: string;
  /** Absolute URL including the query string. */
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Attempts made, the first included. */
  readonly attempts: number;
}

export interface SendOptions {
  /**
   * Retry a non-idempotent request (POST) after failures where it may already have been applied:
   * a connection error after sending, or 500/502/504. 429 and 503 are retried regardless.
   * @default the transport's `retryUnsafe` (false)
   */
  readonly retryUnsafe?: boolean;
  /**
   * Headers to add before each attempt (signature, token); called again on every retry so that
   * X-Sdk-Date is fresh.
   */
  readonly authorize?: (req: HttpRequest, attempt: number) => Record<string, string> | Promise<Record<string, string>>;
  /** Label for error messages. @default 'CBR' */
  readonly service?: string;
  /** Values to scrub from error messages. */
  readonly secrets?: ReadonlyArray<string | undefined>;
}

export interface RetryEvent {
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  readonly delayMs: number;
  /** The status or error code that caused the retry. */
  readonly cause: string;
}

export interface TransportOptions extends Partial<RetrySettings> {
  /** Per-attempt timeout for response headers and for each body chunk, in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** @default false */
  readonly retryUnsafe?: boolean;
  /** @default the process-wide keep-alive agent (see `sharedAgent`) */
  readonly dispatcher?: Dispatcher;
  /** Waits between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Clock for the time budget and HTTP-date Retry-After. @default Date.now */
  readonly now?: () => number;
  /** Called before each wait, e.g. to log retries. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export const TRANSPORT_DEFAULTS = {
  timeoutMs: SETTINGS.httpTimeoutMs.default,
  maxAttempts: SETTINGS.httpMaxAttempts.default,
  budgetMs: SETTINGS.httpBudgetMs.default,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
} as const;

/** Timeout, attempts and budget of these settings (CBR_HTTP_TIMEOUT_MS, CBR_HTTP_MAX_ATTEMPTS, CBR_HTTP_BUDGET_MS). */
export function transportOptions(settings: Settings): Pick<TransportOptions, 'timeoutMs' | 'maxAttempts' | 'budgetMs'> {
  return { timeoutMs: settings.httpTimeoutMs, maxAttempts: settings.httpMaxAttempts, budgetMs: settings.httpBudgetMs };
}

/**
 * Agent options of these settings. TLS verification is always on; CBR_CA_FILE adds a PEM bundle to
 * Node's built-in roots (a private CA or an intercepting proxy) rather than replacing them.
 */
export function agentOptions(settings: Settings): UndiciAgent.Options {
  const timeout = settings.httpTimeoutMs;
  const caFile = settings.caFile;
  let ca: string[] | undefined;
  if (caFile) {
    let pem: string;
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new Error(`${CA_FILE} points to "${caFile}", which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). ` +
        'Set it to a readable PEM file with the CA certificate(s), or unset it.');
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error(`${CA_FILE} points to "${caFile}", which holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`);
    }
    ca = [...rootCertificates, pem];
  }
  return {
    keepAliveTimeout: 10_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: { timeout, rejectUnauthorized: true, ...(ca ? { ca } : {}) },
  };
}

/**
 * The proxies of these settings, as curl and the official providers read them (the settings read
 * lower-case names first): HTTPS_PROXY for https URLs (HTTP_PROXY when it is unset), NO_PROXY for
 * exceptions. Undefined when no proxy is set.
 */
export function proxyOptions(settings: Settings): { httpProxy: string; httpsProxy: string; noProxy: string } | undefined {
  const httpProxy = settings.httpProxy ?? '';
  const httpsProxy = settings.httpsProxy ?? '';
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: settings.noProxy ?? '' };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * An agent that sends requests through the proxies: https URLs through a CONNECT tunnel (TLS is
 * still verified end to end, with CBR_CA_FILE's roots for an intercepting proxy), http URLs as
 * absolute-form requests. Loaded only when a proxy is set.
 */
function proxyAgent(options: UndiciAgent.Options, proxy: { httpProxy: string; httpsProxy: string; noProxy: string }): UndiciAgent {
  const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
  // The package entry puts the API methods on every dispatcher; the tunnel needs connect (CONNECT).
  const Dispatcher = require('undici/lib/dispatcher/dispatcher');
  Dispatcher.prototype.connect ??= require('undici/lib/api/api-connect');
  const tls = options.connect as Record<string, unknown>;
  // Every value is passed explicitly, so undici never reads process.env itself.
  return new EnvHttpProxyAgent({ ...options, ...proxy, proxyTunnel: false, requestTls: tls, proxyTls: tls });
}
/* eslint-enable @typescript-eslint/no-require-imports */

let shared: UndiciAgent | undefined;

/**
 * The process-wide keep-alive agent, created on first use from the settings then given: a process
 * reads its settings once, so every client of it passes the same ones. A transport given no
 * dispatcher (tests) uses it too, made from the table's defaults if it does not exist yet.
 */
export function sharedAgent(settings: Settings = readSettings({})): UndiciAgent {
  if (!shared) {
    const options = agentOptions(settings);
    const proxy = proxyOptions(settings);
    shared = proxy ? proxyAgent(options, proxy) : new Agent(options);
  }
  return shared;
}

/** Closes the process-wide agent (tests, or a long-lived process shutting down). */
export async function closeSharedAgent(): Promise<void> {
  const agent = shared;
  shared = undefined;
  if (agent) await agent.close();
}

const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/;

function errorCodeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorCodeOf(e.errors[0]);
  if (e?.cause !== undefined && e.cause !== err) return errorCodeOf(e.cause);
  return undefined;
}

function reasonOf(err: unknown): string {
  const e = err as { message?: unknown; errors?: Array<{ message?: unknown }> };
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  // AggregateError (one per address tried) has an empty message; use the first underlying one.
  if (!e?.message && Array.isArray(e?.errors) && e.errors[0]) return String(e.errors[0].message);
  return message;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The per-attempt deadline passed; codes match undici's own timeout errors. */
class AttemptTimeout extends Error {
  readonly code: string;
  constructor(phase: 'headers' | 'body', ms: number) {
    super(phase === 'headers' ? `no response headers within ${ms} ms` : `response body not complete within ${ms} ms`);
    this.code = phase === 'headers' ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small JSON-agnostic HTTP transport with timeouts and retries; one instance can serve many requests. */
export class HttpTransport {
  /** A transport with these settings' timeout, attempts and budget, on the shared agent unless one is given. */
  static fromSettings(settings: Settings, overrides: TransportOptions = {}): HttpTransport {
    return new HttpTransport({ ...transportOptions(settings), ...overrides });
  }

  readonly settings: RetrySettings & { readonly timeoutMs: number };
  private readonly options: TransportOptions;

  constructor(options: TransportOptions = {}) {
    this.options = options;
    this.settings = {
      timeoutMs: options.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs,
      maxAttempts: Math.max(1, options.maxAttempts ?? TRANSPORT_DEFAULTS.maxAttempts),
      budgetMs: options.budgetMs ?? TRANSPORT_DEFAULTS.budgetMs,
      baseDelayMs: options.baseDelayMs ?? TRANSPORT_DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? TRANSPORT_DEFAULTS.maxDelayMs,
    };
  }

  /**
   * Sends the request, retrying per the rules in `./retry`. Resolves with the final response,
   * whatever its status (a retryable status that outlasted the attempts or the budget included);
   * rejects with TransportError when no response could be obtained.
   */
  async send(req: HttpRequest, opts: SendOptions = {}): Promise<HttpResponse> {
    const { maxAttempts, budgetMs, timeoutMs } = this.settings;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? defaultSleep;
    const retryUnsafe = opts.retryUnsafe ?? this.options.retryUnsafe ?? false;
    const method = req.method.toUpperCase();
    const dispatcher = this.options.dispatcher ?? sharedAgent();
    const start = now();

    for (let attempt = 1; ; attempt++) {
      const elapsed = now() - start;
      // The last attempt never runs past the budget.
      const timeout = Math.max(1, Math.min(timeoutMs, budgetMs - elapsed));
      const extra = opts.authorize ? await opts.authorize(req, attempt) : {};
      let delayMs: number;
      let cause: string;
      // undici's own header/body timers have ~1 s resolution; this deadline is exact and also
      // bounds the whole attempt (headers and body together).
      const controller = new AbortController();
      let phase: 'headers' | 'body' = 'headers';
      const timer = setTimeout(() => controller.abort(new AttemptTimeout(phase, timeout)), timeout);
      try {
        let status: number;
        let headers: Record<string, string>;
        let body: string;
        try {
          const url = new URL(req.url);
          const res = await dispatchRequest.call(dispatcher, {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: method as Dispatcher.HttpMethod,
            headers: { ...(req.headers ?? {}), ...extra },
            body: req.body === undefined || req.body === '' ? undefined : req.body,
            headersTimeout: timeout,
            bodyTimeout: timeout,
            signal: controller.signal,
          });
          phase = 'body';
          status = res.statusCode;
          headers = flattenHeaders(res.headers);
          body = await res.body.text();
        } catch (err) {
          throw controller.signal.reason instanceof AttemptTimeout ? controller.signal.reason : err;
        } finally {
          clearTimeout(timer);
        }
        const response: HttpResponse = { status, headers, body, attempts: attempt };
        if (!isRetryableStatus(response.status, method, retryUnsafe)) return response;
        const retryAfter = parseRetryAfter(response.headers['retry-after'], now());
        delayMs = retryAfter ?? backoffDelay(attempt, this.settings, this.options.random);
        cause = String(response.status);
        if (attempt >= maxAttempts || now() - start + delayMs >= budgetMs) return response;
      } catch (err) {
        const code = errorCodeOf(err);
        const retryable = isRetryableErrorCode(code, method, retryUnsafe);
        delayMs = backoffDelay(attempt, this.settings, this.options.random);
        if (!retryable || attempt >= maxAttempts || now() - start + delayMs >= budgetMs) {
          throw new TransportError({
            method,
            path: req.url,
            attempts: attempt,
            code,
            reason: reasonOf(err),
            cause: err,
            service: opts.service,
            secrets: opts.secrets,
            hint: hintFor(code, method, retryable, retryUnsafe),
          });
        }
        cause = code ?? 'error';
      }
      this.options.onRetry?.({ method, url: req.url, attempt, delayMs, cause });
      await sleep(delayMs);
    }
  }
}

function hintFor(code: string | undefined, method: string, retryable: boolean, retryUnsafe: boolean): string | undefined {
  if (code && TLS_ERROR.test(code)) {
    return `TLS verification failed; if the endpoint uses a private CA, set ${CA_FILE} to a PEM file with that CA`;
  }
  if (!retryable && !retryUnsafe && !isIdempotent(method) && isRetryableErrorCode(code, method, true)) {
    return `not retried: the ${method} may have reached the server, so check whether it took effect before repeating it`;
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `raise ${SETTINGS.httpTimeoutMs.env} if the service is slow`;
  }
  return undefined;
}
