import { createHash, randomBytes } from 'node:crypto';

/**
 * Fault injection for /v3 API calls (never for /_emulator admin calls or HBR calls), so clients'
 * retries, timeouts and idempotency can be tested. Every /v3 request draws the same six numbers
 * from a seeded generator whatever the settings, so a seed reproduces the same faults for the same
 * sequence of requests.
 *
 * In the order they are decided, for one request:
 * 1. latency: `latencyMs` plus a uniform 0..`latencyJitterMs`, before anything else;
 * 2. reset (`resetRate`): the connection is reset before the request is handled (nothing changes);
 * 3. throttle (`throttleRate`): 429 with `Retry-After: retryAfterSeconds` (APIG.0308), not handled;
 * 4. error (`errorRate`): 500 or 503 (one of `errorStatuses`), not handled;
 * 5. lost response (`lostResponseRate`, POST/PUT/DELETE only): the request is handled, its changes
 *    are persisted, and then the connection is closed without an answer.
 */
export interface FaultOptions {
  /** Share (0-1) of requests answered 500/503. @default 0 */
  readonly errorRate?: number;
  /** Statuses the error fault picks from, evenly. @default [500, 503] */
  readonly errorStatuses?: readonly number[];
  /** Share (0-1) of requests answered 429. @default 0 */
  readonly throttleRate?: number;
  /** Retry-After of the 429, in seconds. @default 1 */
  readonly retryAfterSeconds?: number;
  /** Added latency in ms. @default 0 */
  readonly latencyMs?: number;
  /** Extra random latency, uniform in [0, latencyJitterMs). @default 0 */
  readonly latencyJitterMs?: number;
  /** Share (0-1) of requests whose connection is reset before handling. @default 0 */
  readonly resetRate?: number;
  /** Share (0-1) of writes handled and persisted, then left unanswered. @default 0 */
  readonly lostResponseRate?: number;
  /** Seed (number or string) of the generator; random when absent. */
  readonly seed?: number | string;
}

export type FaultKind = 'reset' | 'throttle' | 'error' | 'lost-response';

export interface FaultDecision {
  readonly latencyMs: number;
  readonly kind?: FaultKind;
  /** The status of an error fault. */
  readonly status?: number;
}

const RATES = ['errorRate', 'throttleRate', 'resetRate', 'lostResponseRate'] as const;
const KEYS = [...RATES, 'errorStatuses', 'retryAfterSeconds', 'latencyMs', 'latencyJitterMs', 'seed'] as const;

/** Settings as `GET /_emulator/faults` shows them: every field, defaults filled in. */
export interface FaultSettings {
  readonly errorRate: number;
  readonly errorStatuses: number[];
  readonly throttleRate: number;
  readonly retryAfterSeconds: number;
  readonly latencyMs: number;
  readonly latencyJitterMs: number;
  readonly resetRate: number;
  readonly lostResponseRate: number;
  readonly seed: number | string | null;
}

/** Checks fault options from a file, flags or a JSON body; throws Error naming the field. */
export function parseFaultOptions(input: unknown): FaultOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('fault settings must be a JSON object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) throw new Error(`${k} is not a fault setting (${KEYS.join(', ')})`);
  }
  for (const k of RATES) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) throw new Error(`${k} must be a number from 0 to 1, got ${JSON.stringify(v)}`);
  }
  for (const k of ['retryAfterSeconds', 'latencyMs', 'latencyJitterMs'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) throw new Error(`${k} must be a whole number of at least 0, got ${JSON.stringify(v)}`);
  }
  const statuses = o.errorStatuses;
  if (statuses !== undefined && (!Array.isArray(statuses) || statuses.length === 0
    || !statuses.every((s) => Number.isInteger(s) && s >= 500 && s <= 599))) {
    throw new Error(`errorStatuses must be a non-empty list of 5xx statuses, got ${JSON.stringify(statuses)}`);
  }
  const seed = o.seed;
  if (seed !== undefined && seed !== null && typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed))) {
    throw new Error(`seed must be a number or a string, got ${JSON.stringify(seed)}`);
  }
  return o as FaultOptions;
}

/* eslint-disable no-bitwise */
/** mulberry32: small, fast, and the same on every platform. */
function generator(seed: number | string | undefined | null): () => number {
  let a = seed === undefined || seed === null
    ? randomBytes(4).readUInt32LE(0)
    : createHash('sha256').update(String(seed)).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

function normalize(o: FaultOptions): FaultSettings {
  return {
    errorRate: o.errorRate ?? 0,
    errorStatuses: [...(o.errorStatuses ?? [500, 503])],
    throttleRate: o.throttleRate ?? 0,
    retryAfterSeconds: o.retryAfterSeconds ?? 1,
    latencyMs: o.latencyMs ?? 0,
    latencyJitterMs: o.latencyJitterMs ?? 0,
    resetRate: o.resetRate ?? 0,
    lostResponseRate: o.lostResponseRate ?? 0,
    seed: o.seed ?? null,
  };
}

export class FaultInjector {
  private current: FaultSettings;
  private random: () => number;

  constructor(opts: FaultOptions = {}) {
    this.current = normalize(opts);
    this.random = generator(opts.seed);
  }

  public get settings(): FaultSettings {
    return JSON.parse(JSON.stringify(this.current));
  }

  /** Replaces every setting (absent ones fall back to off); a seed given restarts the generator. */
  public configure(opts: FaultOptions): void {
    this.current = normalize(opts);
    if (opts.seed !== undefined && opts.seed !== null) this.random = generator(opts.seed);
  }

  /** The faults for one /v3 request. Always draws six numbers, so a seed replays exactly. */
  public decide(method: string): FaultDecision {
    const s = this.current;
    const [jitter, reset, throttle, error, pick, lost] = [0, 0, 0, 0, 0, 0].map(() => this.random());
    const latencyMs = s.latencyMs + Math.floor(jitter * s.latencyJitterMs);
    if (reset < s.resetRate) return { latencyMs, kind: 'reset' };
    if (throttle < s.throttleRate) return { latencyMs, kind: 'throttle' };
    if (error < s.errorRate) return { latencyMs, kind: 'error', status: s.errorStatuses[Math.floor(pick * s.errorStatuses.length)] };
    if (method !== 'GET' && method !== 'HEAD' && lost < s.lostResponseRate) return { latencyMs, kind: 'lost-response' };
    return { latencyMs };
  }
}
