// The official Huawei signer: the emulator must accept what real SDKs send.
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { signRequest } from '../../src/api/cbr/signer';
import { DEFAULT_CREDENTIALS, EmulatorOptions, RunningEmulator, startEmulator } from '../../src/emulator';

export const PROJECT = DEFAULT_CREDENTIALS.projectId;
export const VAULTS = `/v3/${PROJECT}/vaults`;
export const POLICIES = `/v3/${PROJECT}/policies`;

/** A minimal valid 4.5.1 body: a 50 GB crash-consistent server backup vault. */
export function vaultBody(name: string, billing: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    vault: {
      name,
      billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 50, ...billing },
      resources: [],
      ...extra,
    },
  };
}

/** A minimal valid 4.8.1 body: weekly on Saturday 02:30 UTC. */
export function policyBody(name: string, operationType = 'backup', od: Record<string, unknown> = { max_backups: 5 }) {
  return {
    policy: {
      name,
      operation_type: operationType,
      operation_definition: od,
      trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=30'] } },
    },
  };
}

/** `GET /_emulator/state` of an emulator with nothing in it and no faults. */
export const EMPTY_STATE = {
  vaults: [],
  policies: [],
  resources: [],
  orders: [],
  operation_logs: [],
  faults: {
    errorRate: 0,
    errorStatuses: [500, 503],
    throttleRate: 0,
    retryAfterSeconds: 1,
    latencyMs: 0,
    latencyJitterMs: 0,
    resetRate: 0,
    lostResponseRate: 0,
    seed: null,
  },
};

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  /** Extra request headers (signed, like any other). */
  readonly headers?: Record<string, string>;
  readonly accessKey?: string;
  readonly secretKey?: string;
  /** Signing time; the signer's clock otherwise. */
  readonly date?: Date;
  /** Use this X-Auth-Token instead of signing. */
  readonly token?: string;
  /** Send to `/{region}{path}`, served by that region (the prefix is signed like the rest of the URL). */
  readonly region?: string;
  /** Sign with the hook runtime's signer (src/api/cbr/signer.ts) instead of the official SDK's. */
  readonly runtimeSigner?: boolean;
  /** Change the request after signing: the server must notice. */
  readonly tamper?: (req: { headers: Record<string, string>; body?: string; url: string }) => void;
}

export function sdkDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function queryString(query: Record<string, string> | undefined): string {
  const parts = Object.entries(query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Sends one request, signed with AK/SK by the official SDK signer unless a token is given. */
export async function call(base: string, method: string, apiPath: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const path = opts.region === undefined ? apiPath : `/${opts.region}${apiPath}`;
  const bodyText = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  if (opts.token !== undefined) {
    headers['X-Auth-Token'] = opts.token;
  } else if (opts.runtimeSigner) {
    const url = base + path + queryString(opts.query);
    const signed = signRequest({ method, url, headers, body: bodyText ?? '' },
      opts.accessKey ?? DEFAULT_CREDENTIALS.accessKey, opts.secretKey ?? DEFAULT_CREDENTIALS.secretKey, opts.date);
    headers = { ...headers, ...signed };
    delete headers.host;
  } else {
    if (opts.date) headers['X-Sdk-Date'] = sdkDate(opts.date);
    const signed = AKSKSigner.sign({
      endpoint: base + path,
      method,
      headers,
      queryParams: { ...opts.query },
      data: opts.body,
    } as never, {
      getAk: () => opts.accessKey ?? DEFAULT_CREDENTIALS.accessKey,
      getSk: () => opts.secretKey ?? DEFAULT_CREDENTIALS.secretKey,
    } as never) as Record<string, string>;
    headers = { ...signed };
    delete headers.host; // fetch sends the same Host itself
  }
  const req = { headers, body: bodyText, url: base + path + queryString(opts.query) };
  opts.tamper?.(req);
  const res = await fetch(req.url, { method, headers: req.headers, body: req.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** An emulator on a free port plus a `call` bound to it. */
export class TestEmulator {
  public static async start(opts: EmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ port: 0, ...opts }));
  }

  private constructor(public readonly running: RunningEmulator) {}

  public get url(): string {
    return this.running.url;
  }

  public call(method: string, path: string, opts?: CallOptions): Promise<ApiResponse> {
    return call(this.url, method, path, opts);
  }

  public async admin(method: string, path: string, body?: unknown): Promise<any> {
    return (await this.adminCall(method, path, body)).body;
  }

  /** `GET /_emulator/state` of a region (`?region=`), the main region by default. */
  public state(region?: string): Promise<any> {
    return this.admin('GET', region === undefined ? '/_emulator/state' : `/_emulator/state?region=${encodeURIComponent(region)}`);
  }

  /** An admin call (no signature) with its status. */
  public async adminCall(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  public close(): Promise<void> {
    return this.running.close();
  }
}
