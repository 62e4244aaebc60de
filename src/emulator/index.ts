import * as fs from 'node:fs';
import { AddressInfo } from 'node:net';
import { Authenticator } from './auth';
import { DEFAULT_CREDENTIALS, EmulatorCredentials } from './credentials';
import { FaultInjector, FaultOptions, parseFaultOptions } from './faults';
import { HbrEmulator, HbrEmulatorOptions, hbrOptionsFromEnv } from './hbr';
import { checkRegions, EmulatorRegion, ServedRegion } from './regions';
import { parseProtectables } from './resources';
import { EmulatorServer } from './server';
import { Store } from './store';
import { generateCertificate } from './tls';

export { DEFAULT_CREDENTIALS } from './credentials';
export type { EmulatorCredentials } from './credentials';
export type { RequestLogEntry } from './server';
export type { FaultOptions, FaultSettings, FaultKind } from './faults';
export type { EmulatorRegion } from './regions';

/** The main region the emulator pretends to be in: the project name of a token scoped to it, and the region of `/v3/...`. */
export const DEFAULT_REGION = 'emulator-region-1';

/** A protectable resource as `--resources-file` and `POST /_emulator/resources` take it. */
export interface ProtectableResourceInput {
  readonly id: string;
  /** OS::Nova::Server, OS::Cinder::Volume, OS::Sfs::Turbo, ... */
  readonly type: string;
  readonly name: string;
  /** GB; for a server, defaults to the sum of its volumes. */
  readonly size?: number;
  /** active (default), deleted or error. */
  readonly status?: string;
  /** A server's disks: ids, or {id, name?, size?}. */
  readonly volumes?: ReadonlyArray<string | { readonly id: string; readonly name?: string; readonly size?: number }>;
  /** ProtectablesResp.detail. */
  readonly detail?: Record<string, unknown>;
}

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** JSON file to load at start and rewrite atomically after every change. @default in memory only */
  readonly stateFile?: string;
  /** Accounts the emulator accepts. @default [DEFAULT_CREDENTIALS] */
  readonly credentials?: EmulatorCredentials[];
  /** The main region, served at `/v3/...` and `/{region}/v3/...`. @default DEFAULT_REGION */
  readonly region?: string;
  /**
   * Regions served besides the main one, at `/{name}/v3/...`, each with its own state (with
   * stateFile, in `<stateFile>.region-<name>.json`). Every credential addresses `projectId` there.
   * @default none
   */
  readonly regions?: ReadonlyArray<EmulatorRegion>;
  /** The emulator's clock (timestamps, token expiry, X-Sdk-Date skew). @default the system clock */
  readonly now?: () => Date;
  /**
   * Protectable resources (servers, disks, file systems). When any are configured, resource ids
   * given to 4.5.1/4.5.7/4.5.14 must name one of them (6302). They replace those of the state file.
   */
  readonly resources?: ProtectableResourceInput[];
  /** A JSON file holding `resources` (an array). */
  readonly resourcesFile?: string;
  /** Fault injection for /v3 calls; changeable later through `POST /_emulator/faults`. @default none */
  readonly faults?: FaultOptions;
  /** Delay before a yearly/monthly order (4.5.14) completes and its vault appears. @default 200 */
  readonly orderDelayMs?: number;
  /** Serve HTTPS with a certificate generated at start (by the openssl command). @default false */
  readonly tls?: boolean;
  /** With `tls`, write the CA certificate (PEM) here, for clients to trust (CBR_CA_FILE). */
  readonly tlsCertOut?: string;
  /**
   * The Alibaba HBR emulator served on the same port (`/?Action=...`, `/_emulator/hbr/...`), or false.
   * @default HBR_EMULATOR_* environment settings; state in `<stateFile>.hbr.json` when stateFile is set
   */
  readonly hbr?: HbrEmulatorOptions | false;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` (`https://` with tls) */
  readonly url: string;
  readonly port: number;
  /** With tls: the CA certificate (PEM) that signed the server certificate. */
  readonly caCert?: string;
  close(): Promise<void>;
}

function initialResources(opts: EmulatorOptions) {
  if (opts.resources) return parseProtectables(opts.resources, 'resources');
  if (!opts.resourcesFile) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(opts.resourcesFile, 'utf8'));
  } catch (e) {
    throw new Error(`resources file ${opts.resourcesFile} cannot be read: ${(e as Error).message}`);
  }
  try {
    return parseProtectables(parsed, opts.resourcesFile);
  } catch (e) {
    throw new Error(`resources file: ${(e as Error).message}`);
  }
}

/** Starts the CBR (and IAM token, and HBR) emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const region = opts.region ?? DEFAULT_REGION;
  const extra = opts.regions ?? [];
  checkRegions(region, extra, 'regions');
  const credentials = opts.credentials?.length ? opts.credentials : [DEFAULT_CREDENTIALS];
  const store = new Store(opts.stateFile);
  const regions = [
    new ServedRegion(region, store, credentials),
    ...extra.map((r) => new ServedRegion(r.name, new Store(opts.stateFile && `${opts.stateFile}.region-${r.name}.json`), credentials, r.projectId)),
  ];
  // The configured inventory is the main region's.
  const resources = initialResources(opts);
  if (resources) {
    store.data.protectables = resources;
    store.persist();
  }
  const faults = new FaultInjector(parseFaultOptions(opts.faults ?? {}));
  const tls = opts.tls ? await generateCertificate() : undefined;
  if (tls && opts.tlsCertOut) fs.writeFileSync(opts.tlsCertOut, tls.caCert, { mode: 0o644 });
  const hbr = opts.hbr === false ? undefined : new HbrEmulator({
    ...(opts.stateFile ? { stateFile: `${opts.stateFile}.hbr.json` } : {}),
    ...hbrOptionsFromEnv(),
    ...(opts.now ? { now: () => opts.now!().getTime() } : {}),
    ...(opts.hbr ?? {}),
  });
  const server = new EmulatorServer({
    regions,
    auth: new Authenticator(credentials, regions),
    now: opts.now ?? (() => new Date()),
    faults,
    hbr,
    orderDelayMs: opts.orderDelayMs,
    initialProtectables: resources ?? [],
    tls,
  });
  const http = server.http;
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 0, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    server.shutdown();
    throw e;
  }
  const port = (http.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    ...(tls ? { caCert: tls.caCert } : {}),
    close: () => new Promise<void>((resolve, reject) => {
      server.shutdown();
      http.close((e) => (e ? reject(e) : resolve()));
      // Idle keep-alive connections would otherwise hold close() open.
      http.closeAllConnections();
    }),
  };
}
