import { AddressInfo } from 'node:net';
import { Authenticator } from './auth';
import { DEFAULT_CREDENTIALS, EmulatorCredentials } from './credentials';
import { EmulatorServer } from './server';
import { Store } from './store';

export { DEFAULT_CREDENTIALS } from './credentials';
export type { EmulatorCredentials } from './credentials';
export type { RequestLogEntry } from './server';

/** The region the emulator pretends to be in: a token scoped by project name must name it. */
export const DEFAULT_REGION = 'emulator-region-1';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** JSON file to load at start and rewrite atomically after every change. @default in memory only */
  readonly stateFile?: string;
  /** Accounts the emulator accepts. @default [DEFAULT_CREDENTIALS] */
  readonly credentials?: EmulatorCredentials[];
  /** @default DEFAULT_REGION */
  readonly region?: string;
  /** The emulator's clock (timestamps, token expiry, X-Sdk-Date skew). @default the system clock */
  readonly now?: () => Date;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the CBR (and IAM token) emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = new Store(opts.stateFile);
  const region = opts.region ?? DEFAULT_REGION;
  const credentials = opts.credentials?.length ? opts.credentials : [DEFAULT_CREDENTIALS];
  const server = new EmulatorServer({
    store,
    auth: new Authenticator(credentials, store, region),
    region,
    now: opts.now ?? (() => new Date()),
  });
  const http = server.http;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      http.close((e) => (e ? reject(e) : resolve()));
      // Idle keep-alive connections would otherwise hold close() open.
      http.closeAllConnections();
    }),
  };
}
