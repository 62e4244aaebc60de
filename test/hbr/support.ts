import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { formEncode, signRpc } from '../../src/api/hbr/signer';
import { HbrEmulator, HbrEmulatorOptions, DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { HbrClient, HbrClientOptions } from '../../src/runtime/hbr/client';
import { loadHbrConfig } from '../../src/runtime/hbr/config';
import { HttpTransport } from '../../src/runtime/http/transport';
import { readSettings } from '../../src/runtime/settings';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** An HBR-only HTTP server around one HbrEmulator, on a free loopback port (the main emulator mounts the same handler). */
async function startHbrServer(emulator: HbrEmulator, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => emulator.handle(req, res, body))
      .then((served) => {
        if (!served) {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ Code: 'InvalidAction.NotFound', Message: 'Not an HBR RPC call: send POST /?Action=... (or an x-acs-action header).' }));
        }
      })
      .catch((e) => {
        process.stderr.write(`hbr test server: ${(e as Error).stack ?? e}\n`);
        res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeAllConnections();
    }),
  };
}


export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock, for callers that stamp their own time (the official SDK, terraform hooks). */
export const REAL_CLOCK: Clock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** A fake clock shared by the emulator and the client: sleeping advances it, so waits are instant. */
export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2024-03-03T12:00:00Z')) {}
  now = (): number => this.ms;
  sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
  };
}

export interface HbrTestEnv {
  readonly url: string;
  readonly emulator: HbrEmulator;
  readonly clock: Clock;
  client(overrides?: Record<string, string>, options?: HbrClientOptions): HbrClient;
  admin(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/** The HBR emulator on its own node:http server (as the main emulator will mount it), with a fake clock. */
export async function startHbr(opts: HbrEmulatorOptions = {}, clock: Clock = new FakeClock()): Promise<HbrTestEnv> {
  const emulator = new HbrEmulator({ now: clock.now, ...opts });
  const server = await startHbrServer(emulator);
  return {
    url: server.url,
    emulator,
    clock,
    client(overrides = {}, options = {}) {
      const config = loadHbrConfig(readSettings({
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
        HBR_ENDPOINT: server.url,
        HBR_TASK_POLL_MS: '100',
        ...overrides,
      }));
      const transport = new HttpTransport({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
      return new HbrClient(config, transport, { now: clock.now, sleep: clock.sleep, ...options });
    },
    async admin(method, path, body) {
      const res = await fetch(`${server.url}/_emulator/hbr${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    close: () => server.close(),
  };
}

export interface RawReply {
  readonly status: number;
  readonly body: any;
}

/**
 * One RPC call exactly as given: action parameters in the form body, common ones (signed with
 * the default emulator credentials unless overridden) in the query string.
 */
export async function rawCall(url: string, action: string, params: Record<string, string>, opts: {
  readonly now?: number;
  readonly secret?: string;
  readonly accessKeyId?: string;
  readonly nonce?: string;
  readonly version?: string;
  readonly tamper?: (common: Record<string, string>) => void;
  readonly method?: 'GET' | 'POST';
} = {}): Promise<RawReply> {
  const method = opts.method ?? 'POST';
  const signed = signRpc({
    method,
    action,
    version: opts.version ?? '2017-09-08',
    params,
    accessKeyId: opts.accessKeyId ?? DEFAULT_HBR_CREDENTIALS.accessKeyId,
    accessKeySecret: opts.secret ?? DEFAULT_HBR_CREDENTIALS.accessKeySecret,
    now: new Date(opts.now ?? Date.now()),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
  opts.tamper?.(signed.common);
  const res = method === 'GET'
    ? await fetch(`${url}/?${formEncode({ ...signed.params, ...signed.common })}`)
    : await fetch(`${url}/?${formEncode(signed.common)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formEncode(signed.params),
    });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
