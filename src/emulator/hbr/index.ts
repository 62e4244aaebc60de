import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACTIONS, clientView, newRequestId, taskView } from './actions';
import { DEFAULT_HBR_CREDENTIALS, HbrCredentials, RpcAuthenticator } from './auth';
import {
  ClientRecord, emptyData, HbrData, HbrState, JobOutcome, makeInstance, newClientRecord, SimulatedInstance,
} from './state';
import { HBR_API_VERSION } from '../../api/hbr/actions';
import { RpcError } from '../../api/hbr/errors';

export { DEFAULT_HBR_CREDENTIALS } from './auth';
export type { HbrCredentials } from './auth';
export { HbrState } from './state';
export type { HbrData, SimulatedInstance, ClientRecord, TaskRecord, JobOutcome, HbrSettings } from './state';

/**
 * The HBR part of the emulator: the RPC API (CreateClients, DescribeBackupClients,
 * UpgradeBackupClients, DescribeTask) at `POST|GET /?Action=...`, authenticated with the Alibaba
 * RPC signature (1.0 HMAC-SHA1) or ACS3-HMAC-SHA256, and admin endpoints under `/_emulator/hbr/`.
 */

/** The JSON configuration file (HBR_EMULATOR_CONFIG): the simulated world at first start. */
export interface HbrConfigFile {
  readonly maxClientVersion?: string;
  readonly instances?: ReadonlyArray<Partial<SimulatedInstance> & { instanceId: string }>;
  readonly vaults?: readonly string[];
  readonly transitionMs?: number;
  readonly taskTimeoutMs?: number;
  readonly credentials?: readonly HbrCredentials[];
}

export interface HbrEmulatorOptions {
  /** Persist the HBR state here (JSON), e.g. `<cbr state file>.hbr.json`. @default in memory only */
  readonly stateFile?: string;
  /** A JSON configuration file, read when there is no state yet. */
  readonly configFile?: string;
  /** The configuration itself (wins over configFile). */
  readonly config?: HbrConfigFile;
  /** Accepted AccessKey pairs. @default config.credentials, else [DEFAULT_HBR_CREDENTIALS] */
  readonly credentials?: readonly HbrCredentials[];
  /** @default Date.now */
  readonly now?: () => number;
}

/** One served RPC call, as `GET /_emulator/hbr/requests` lists it (secrets masked). */
export interface HbrRequestLogEntry {
  readonly seq: number;
  readonly action: string;
  readonly params: Record<string, string>;
  readonly status: number;
  readonly code?: string;
  readonly scheme?: 'v1' | 'acs3';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const ADMIN_PREFIX = '/_emulator/hbr';
const JOB_OUTCOMES: readonly JobOutcome[] = ['success', 'fail', 'hang'];

function readConfigFile(file: string | undefined): HbrConfigFile {
  if (!file) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as HbrConfigFile;
  } catch (e) {
    throw new Error(`HBR emulator config ${file} cannot be read: ${(e as Error).message}`);
  }
}

function initialData(config: HbrConfigFile): HbrData {
  const data = emptyData();
  if (config.maxClientVersion) data.maxClientVersion = config.maxClientVersion;
  data.instances = (config.instances ?? []).map((i) => makeInstance(validateInstance(i)));
  data.vaults = [...(config.vaults ?? [])];
  if (config.transitionMs !== undefined) data.settings.transitionMs = config.transitionMs;
  if (config.taskTimeoutMs !== undefined) data.settings.taskTimeoutMs = config.taskTimeoutMs;
  return data;
}

function validateInstance(input: unknown): Partial<SimulatedInstance> & { instanceId: string } {
  const i = input as Record<string, unknown>;
  if (!i || typeof i !== 'object' || typeof i.instanceId !== 'string' || !/^i-[A-Za-z0-9*]+$/.test(i.instanceId)) {
    throw new Error('an instance needs an instanceId like "i-bp1xxxx"');
  }
  if (i.status !== undefined && i.status !== 'Running' && i.status !== 'Stopped') throw new Error('status is Running or Stopped');
  if (i.cloudAssistant !== undefined && typeof i.cloudAssistant !== 'boolean') throw new Error('cloudAssistant is a boolean');
  for (const f of ['installOutcome', 'upgradeOutcome']) {
    if (i[f] !== undefined && !JOB_OUTCOMES.includes(i[f] as JobOutcome)) throw new Error(`${f} is one of ${JOB_OUTCOMES.join(', ')}`);
  }
  return i as Partial<SimulatedInstance> & { instanceId: string };
}

/** Reads the request's parameters: query string and, for a form body, the body. */
function parseParams(req: IncomingMessage, body: string): { path: string; query: Array<[string, string]>; form: Array<[string, string]> } {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const query = [...url.searchParams.entries()];
  const type = String(req.headers['content-type'] ?? '');
  const form = body !== '' && (/application\/x-www-form-urlencoded/i.test(type) || type === '') ? [...new URLSearchParams(body).entries()] : [];
  const rawPath = (req.url ?? '/').split('?')[0];
  return { path: rawPath, query, form };
}

function maskParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...params };
  if (out.ClientInfo !== undefined) {
    try {
      const items = JSON.parse(out.ClientInfo) as Array<Record<string, unknown>>;
      out.ClientInfo = JSON.stringify(items.map((i) => (i && typeof i === 'object' && i.accessKeySecret ? { ...i, accessKeySecret: '******' } : i)));
    } catch {
      out.ClientInfo = '(unparsable)';
    }
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown, requestId?: string): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(text) };
  if (text) headers['Content-Type'] = 'application/json;charset=utf-8';
  if (requestId) headers['x-acs-request-id'] = requestId;
  res.writeHead(status, headers);
  res.end(text);
}

/** HBR's documented error body: Code, Message and RequestId, with the HostId and Recommend the API adds. */
function errorBody(err: RpcError, requestId: string, host: string | undefined): Record<string, unknown> {
  return {
    RequestId: requestId,
    HostId: host ?? 'hbr.emulator',
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}`,
    ...err.extra,
  };
}

/**
 * HBR's answer to a request that Node's HTTP parser refused before any handler saw it (an over-long
 * header, a malformed request, a timeout): the documented error body with InvalidParameter, the code
 * HBR gives a request it cannot take as sent (no documented code is closer).
 */
export function refusedRequestReply(status: number, message: string, host: string | undefined): { headers: Record<string, string>; body: string } {
  const requestId = newRequestId();
  return {
    headers: { 'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
    body: JSON.stringify(errorBody(new RpcError(status, 'InvalidParameter', message), requestId, host)),
  };
}

export class HbrEmulator {
  /** Whether the request is an HBR RPC call or an HBR admin call (and so served here). */
  static isHbrRequest(req: IncomingMessage, body = ''): boolean {
    return HbrEmulator.isHbrTarget(req.url ?? '/', req.headers['x-acs-action'] !== undefined, body);
  }

  /** The same rule on what is known of a request: its target, whether it has an x-acs-action header, its body. */
  static isHbrTarget(target: string, hasActionHeader: boolean, body = ''): boolean {
    const url = new URL(target, 'http://emulator.invalid');
    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return true;
    if (url.pathname !== '/' && url.pathname !== '') return false;
    if (hasActionHeader) return true;
    if (url.searchParams.has('Action')) return true;
    return /(^|&)Action=/.test(body);
  }

  readonly state: HbrState;
  private readonly auth: RpcAuthenticator;
  private readonly now: () => number;
  private readonly initial: HbrData;
  private log: HbrRequestLogEntry[] = [];
  private seq = 0;

  constructor(opts: HbrEmulatorOptions = {}) {
    const config = { ...readConfigFile(opts.configFile), ...(opts.config ?? {}) };
    this.initial = initialData(config);
    this.state = new HbrState(opts.stateFile, structuredClone(this.initial));
    const credentials = opts.credentials ?? config.credentials ?? [DEFAULT_HBR_CREDENTIALS];
    this.auth = new RpcAuthenticator(credentials.length > 0 ? credentials : [DEFAULT_HBR_CREDENTIALS]);
    this.now = opts.now ?? Date.now;
  }

  /** Back to the configured initial world (instances, MaxClientVersion), no clients, no jobs, empty log; persisted. */
  reset(): void {
    this.state.data = structuredClone(this.initial);
    this.log = [];
    this.state.persist();
  }

  /** Serves the request when it is an HBR call; resolves false (and writes nothing) otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> {
    if (!HbrEmulator.isHbrRequest(req, body)) return false;
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      this.admin(req, res, url.pathname.slice(ADMIN_PREFIX.length) || '/', body);
      return true;
    }
    this.rpc(req, res, body);
    return true;
  }

  private rpc(req: IncomingMessage, res: ServerResponse, body: string): void {
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const now = this.now();
    const { path, query, form } = parseParams(req, body);
    let action = (req.headers['x-acs-action'] as string | undefined) ?? query.find(([k]) => k === 'Action')?.[1] ?? form.find(([k]) => k === 'Action')?.[1] ?? '';
    let params: Record<string, string> = {};
    let scheme: 'v1' | 'acs3' | undefined;
    let status: number;
    let reply: Record<string, unknown>;
    const before = this.state.snapshot();
    try {
      if (method !== 'GET' && method !== 'POST') throw new RpcError(405, 'UnsupportedHTTPMethod', `The HTTP method ${method} is not supported: use GET or POST.`);
      const call = this.auth.authenticate({ method, rawPath: path, headers: req.headers, query, form, body }, now);
      action = call.action;
      params = call.params;
      scheme = call.scheme;
      if (call.version !== HBR_API_VERSION) throw new RpcError(400, 'InvalidVersion', `Specified parameter Version ${JSON.stringify(call.version)} is not valid: HBR is ${HBR_API_VERSION}.`);
      const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!handler) throw new RpcError(404, 'InvalidAction.NotFound', `Specified api ${JSON.stringify(action)} is not found, please check your url and method.`);
      this.state.advance(now);
      const out = handler({ state: this.state, params, now, requestId });
      status = out.status;
      reply = out.body;
      this.state.persist();
    } catch (e) {
      this.state.restore(before);
      const err = e instanceof RpcError ? e : new RpcError(500, 'InternalError', `The request processing has failed due to some unknown error. (${(e as Error).message})`);
      if (!(e instanceof RpcError)) process.stderr.write(`hbr-emulator: ${(e as Error).stack ?? e}\n`);
      status = err.status;
      reply = errorBody(err, requestId, req.headers.host);
    }
    this.log.push({
      seq: ++this.seq,
      action,
      params: maskParams(params),
      status,
      ...(status >= 400 ? { code: String(reply.Code) } : {}),
      ...(scheme ? { scheme } : {}),
    });
    send(res, status, reply, requestId);
  }

  /** The whole state as the admin endpoint shows it: documented client views plus the emulator's own fields. */
  view(): Record<string, unknown> {
    const now = this.now();
    if (this.state.advance(now)) this.state.persist();
    const d = this.state.data;
    return {
      maxClientVersion: d.maxClientVersion,
      settings: d.settings,
      vaults: d.vaults,
      instances: d.instances,
      clients: d.clients.map((c) => ({
        ...clientView(this.state, c),
        VaultId: c.VaultId,
        ClusterId: c.ClusterId,
        SourceTypes: c.SourceTypes,
        AlertSetting: c.AlertSetting,
        ResourceGroupId: c.ResourceGroupId,
        ...(c.pending ? { pending: { kind: c.pending.kind, taskId: c.pending.taskId, outcome: c.pending.outcome } } : {}),
      })),
      tasks: d.tasks.map((t) => taskView(t, now)),
    };
  }

  private admin(req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      send(res, 403, { Code: 'Forbidden', Message: 'Admin endpoints answer loopback only.' });
      return;
    }
    const key = `${(req.method ?? '').toUpperCase()} ${path}`;
    const before = this.state.snapshot();
    try {
      const input = body.trim() === '' ? {} : JSON.parse(body) as Record<string, unknown>;
      const result = this.adminAction(key, input);
      this.state.persist();
      send(res, result === undefined ? 204 : 200, result);
    } catch (e) {
      this.state.restore(before);
      const notFound = e instanceof AdminNotFound;
      send(res, notFound ? 404 : 400, { Code: notFound ? 'NotFound' : 'InvalidParameter', Message: (e as Error).message });
    }
  }

  private adminAction(key: string, input: Record<string, unknown>): unknown {
    const { state } = this;
    state.advance(this.now());
    switch (key) {
      case 'GET /state':
        return this.view();
      case 'GET /requests':
        return this.log;
      case 'DELETE /requests':
        this.log = [];
        return undefined;
      case 'POST /reset':
        this.reset();
        return undefined;
      case 'POST /instances': {
        const list = Array.isArray(input) ? input : Array.isArray(input.instances) ? input.instances as unknown[] : [input];
        return list.map((i) => state.upsertInstance(validateInstance(i)));
      }
      case 'POST /max-client-version': {
        const version = input.version ?? input.maxClientVersion;
        if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version)) throw new Error('body: {"version": "2.11.0"}');
        state.data.maxClientVersion = version;
        return { maxClientVersion: version };
      }
      case 'POST /settings': {
        for (const f of ['transitionMs', 'taskTimeoutMs'] as const) {
          const v = input[f];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${f} is a whole number of ms`);
          state.data.settings[f] = v;
        }
        return state.data.settings;
      }
      case 'POST /vaults': {
        const ids = input.vaultIds ?? input.vaults;
        if (!Array.isArray(ids) || ids.some((v) => typeof v !== 'string' || !/^v-[A-Za-z0-9*]+$/.test(v))) throw new Error('body: {"vaultIds": ["v-..."]}');
        state.data.vaults = [...ids as string[]];
        return { vaults: state.data.vaults };
      }
      case 'POST /clients':
        return clientView(state, this.seedClient(input));
      default: {
        const m = /^DELETE \/instances\/([^/]+)$/.exec(key);
        if (m) {
          const id = decodeURIComponent(m[1]);
          const before = state.data.instances.length;
          state.data.instances = state.data.instances.filter((i) => i.instanceId !== id);
          if (state.data.instances.length === before) throw new AdminNotFound(`no simulated instance ${id}`);
          return undefined;
        }
        const c = /^(?:POST|PATCH) \/clients\/([^/]+)$/.exec(key);
        if (c) {
          const client = state.client(decodeURIComponent(c[1]));
          if (!client) throw new AdminNotFound(`no client ${c[1]}`);
          return clientView(state, this.patchClient(client, input));
        }
        throw new AdminNotFound(`no admin endpoint ${key.replace(' ', ` ${ADMIN_PREFIX}`)}`);
      }
    }
  }

  /** Adds a client directly (an installation made outside the API, e.g. an old version). */
  private seedClient(input: Record<string, unknown>): ClientRecord {
    const instanceId = input.instanceId ?? input.InstanceId;
    if (typeof instanceId !== 'string') throw new Error('body: {"instanceId": "i-...", "clientVersion": "2.4.0", "status": "ACTIVATED"}');
    const instance = this.state.instance(instanceId) ?? this.state.upsertInstance({ instanceId });
    const now = this.now();
    const existing = this.state.clientsOn(instanceId)[0];
    const client: ClientRecord = existing ?? newClientRecord(instance, {
      vaultId: typeof input.vaultId === 'string' ? input.vaultId : '',
      status: 'ACTIVATED',
      clientVersion: this.state.data.maxClientVersion,
      now: Math.floor(now / 1000),
      lastHeartBeat: Math.floor(now / 1000),
      useHttps: false,
    });
    if (!existing) this.state.data.clients.push(client);
    return this.patchClient(client, input);
  }

  private patchClient(client: ClientRecord, input: Record<string, unknown>): ClientRecord {
    const str = (v: unknown, name: string) => {
      if (typeof v !== 'string') throw new Error(`${name} is a string`);
      return v;
    };
    if (input.clientVersion !== undefined) client.ClientVersion = str(input.clientVersion, 'clientVersion');
    if (input.status !== undefined) {
      client.Status = str(input.status, 'status');
      delete client.pending;
    }
    if (input.backupStatus !== undefined) {
      const b = str(input.backupStatus, 'backupStatus');
      if (b !== 'PROTECTED' && b !== 'UNPROTECTED') throw new Error('backupStatus is PROTECTED or UNPROTECTED');
      client.BackupStatus = b;
    }
    if (input.tags !== undefined) {
      if (!Array.isArray(input.tags)) throw new Error('tags is [{"Key": ..., "Value": ...}]');
      client.Tags = (input.tags as Array<{ Key: string; Value: string }>).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));
    }
    if (input.settings !== undefined) {
      if (typeof input.settings !== 'object' || input.settings === null) throw new Error('settings is an object of Settings fields');
      client.Settings = { ...client.Settings, ...(input.settings as Partial<ClientRecord['Settings']>) };
    }
    client.UpdatedTime = Math.floor(this.now() / 1000);
    return client;
  }
}

class AdminNotFound extends Error {}

/** Options from the environment: HBR_EMULATOR_STATE_FILE, HBR_EMULATOR_CONFIG, HBR_EMULATOR_ACCESS_KEY_ID / _SECRET. */
export function hbrOptionsFromEnv(env: Record<string, string | undefined> = process.env): HbrEmulatorOptions {
  const id = env.HBR_EMULATOR_ACCESS_KEY_ID;
  const secret = env.HBR_EMULATOR_ACCESS_KEY_SECRET;
  return {
    ...(env.HBR_EMULATOR_STATE_FILE ? { stateFile: env.HBR_EMULATOR_STATE_FILE } : {}),
    ...(env.HBR_EMULATOR_CONFIG ? { configFile: env.HBR_EMULATOR_CONFIG } : {}),
    ...(id && secret ? { credentials: [{ accessKeyId: id, accessKeySecret: secret }] } : {}),
  };
}

