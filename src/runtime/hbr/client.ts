import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { HbrConfig, loadHbrConfig } from './config';
import {
  BackupClient, clientList, CreateClientsResponse, DescribeBackupClientsResponse, DescribeTaskResponse, HBR_API_VERSION, HbrResponse,
  UpgradeBackupClientsResponse,
} from '../../api/hbr/actions';
import type { CreateClientsRequest, DescribeBackupClientsRequest, UpgradeBackupClientsRequest } from '../../api/hbr/requests';
import { formEncode, signRpc } from '../../api/hbr/signer';
import { parseResponse } from '../../api/response';
import { ApiError, TransportError } from '../errors';
import { HttpRequest, HttpResponse, HttpTransport, sharedAgent } from '../http/transport';

/** One HTTP attempt, retries included; for counting calls in tests. */
export interface HbrRequestEvent {
  readonly action: string;
  /** 1 for the first attempt, 2+ for retries. */
  readonly attempt: number;
  /** The SignatureNonce of this attempt: every attempt is signed afresh. */
  readonly nonce: string;
}

export interface HbrClientOptions {
  readonly onRequest?: (event: HbrRequestEvent) => void;
  /** Clock for Timestamp and task timeouts. @default Date.now */
  readonly now?: () => number;
  /** SignatureNonce source. @default crypto.randomUUID */
  readonly nonce?: () => string;
  /** Waits between DescribeTask polls. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Values of an RPC call's parameters before flattening. */
export type RpcValue = string | number | boolean | undefined | readonly unknown[] | Record<string, unknown>;

export interface WaitForTaskOptions {
  /** @default the config's taskTimeoutMs */
  readonly timeoutMs?: number;
  /** @default the config's taskPollMs */
  readonly pollMs?: number;
  /** Called with every DescribeTask answer. */
  readonly onPoll?: (task: DescribeTaskResponse) => void;
}

/** The job did not finish within the timeout; `last` is the last DescribeTask answer. */
export class TaskTimeoutError extends Error {
  constructor(readonly taskId: string, readonly timeoutMs: number, readonly last: DescribeTaskResponse | undefined) {
    super(`HBR task ${taskId} did not finish within ${formatDuration(timeoutMs)}` +
      `${last?.Progress !== undefined ? ` (last progress ${last.Progress}%${last.Description ? `, ${last.Description}` : ''})` : ''}`);
    this.name = 'TaskTimeoutError';
  }
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

const MAX_PAGES = 10_000;
/** DescribeBackupClients: "PageSize ... Valid values: 1 to 99." */
export const MAX_PAGE_SIZE = 99;

/** Flattens parameters the way the SDKs send them: arrays and objects as JSON, Tag as Tag.N.Key / Tag.N.Value. */
export function flattenParams(params: Readonly<Record<string, RpcValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key === 'Tag' && Array.isArray(value)) {
      value.forEach((tag: { Key?: string; Value?: string }, i) => {
        if (tag.Key !== undefined) out[`Tag.${i + 1}.Key`] = tag.Key;
        if (tag.Value !== undefined) out[`Tag.${i + 1}.Value`] = tag.Value;
      });
    } else if (typeof value === 'object') {
      out[key] = JSON.stringify(value);
    } else {
      out[key] = String(value);
    }
  }
  return out;
}

/**
 * A signed RPC request whose URL is re-signed before every attempt. The transport reads `url` after
 * calling `authorize`, so each attempt (retries included) carries a fresh SignatureNonce and
 * Timestamp: the service rejects a nonce it has seen (SignatureNonceUsed).
 */
class SignedRpcRequest implements HttpRequest {
  readonly method = 'POST';
  readonly headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' };
  readonly body: string;
  private signedUrl = '';
  nonce = '';

  constructor(
    private readonly config: HbrConfig,
    readonly action: string,
    private readonly params: Record<string, string>,
    private readonly nextNonce: () => string,
    private readonly now: () => number,
  ) {
    this.body = formEncode(params);
    this.sign();
  }

  get url(): string {
    return this.signedUrl;
  }

  sign(): void {
    this.nonce = this.nextNonce();
    const signed = signRpc({
      method: this.method,
      action: this.action,
      version: HBR_API_VERSION,
      params: this.params,
      accessKeyId: this.config.accessKeyId,
      accessKeySecret: this.config.accessKeySecret,
      securityToken: this.config.securityToken,
      now: new Date(this.now()),
      nonce: this.nonce,
    });
    this.signedUrl = `${this.config.endpoint}/?${formEncode(signed.common)}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Typed client for the HBR RPC API (2017-09-08): CreateClients, DescribeBackupClients,
 * UpgradeBackupClients and DescribeTask, signed with signature version 1.0 over a retrying transport.
 */
export class HbrClient {
  /** Config and transport (timeouts, retries, CA file, proxies: the CBR_HTTP_* variables too) from the settings the process read at its start. */
  static fromSettings(settings: import('../settings').Settings, options: HbrClientOptions = {}, at: { readonly region?: string } = {}): HbrClient {
    return new HbrClient(loadHbrConfig(settings, at), HttpTransport.fromSettings(settings, { dispatcher: sharedAgent(settings) }), options);
  }

  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly config: HbrConfig,
    private readonly transport: HttpTransport = new HttpTransport(),
    private readonly options: HbrClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** The client's clock (ms since the epoch). */
  clock(): number {
    return this.now();
  }

  /** Waits, on the client's sleep function (tests replace it). */
  pause(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  /** 000 CreateClients: installs clients on ECS instances; returns an asynchronous TaskId. Not retried after a possible commit. */
  async createClients(req: CreateClientsRequest, secrets: ReadonlyArray<string | undefined> = []): Promise<CreateClientsResponse> {
    return this.call(CreateClientsResponse, 'CreateClients', {
      VaultId: req.VaultId,
      AlertSetting: req.AlertSetting,
      ClientInfo: req.ClientInfo === undefined ? undefined : JSON.stringify(req.ClientInfo),
      UseHttps: req.UseHttps,
      ResourceGroupId: req.ResourceGroupId,
    }, { secrets: [...secrets, ...(req.ClientInfo ?? []).map((c) => c.accessKeySecret)] });
  }

  /** 001 DescribeBackupClients: one page. */
  async describeBackupClients(req: DescribeBackupClientsRequest): Promise<DescribeBackupClientsResponse> {
    return this.call(DescribeBackupClientsResponse, 'DescribeBackupClients', { ...req }, { readOnly: true });
  }

  /** 001 DescribeBackupClients, every page (PageSize 99) until TotalCount is reached or a page comes back short. */
  async listAllBackupClients(filter: Omit<DescribeBackupClientsRequest, 'PageNumber' | 'PageSize'>): Promise<BackupClient[]> {
    const byId = new Map<string, BackupClient>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await this.describeBackupClients({ ...filter, PageNumber: page, PageSize: MAX_PAGE_SIZE });
      const clients = clientList(res.Clients);
      const before = byId.size;
      for (const c of clients) if (!byId.has(c.ClientId)) byId.set(c.ClientId, c);
      if (clients.length < MAX_PAGE_SIZE || byId.size === before) break;
      if (typeof res.TotalCount === 'number' && byId.size >= res.TotalCount) break;
    }
    return [...byId.values()];
  }

  /** 002 UpgradeBackupClients: returns an asynchronous TaskId. Not retried after a possible commit. */
  async upgradeBackupClients(req: UpgradeBackupClientsRequest): Promise<UpgradeBackupClientsResponse> {
    return this.call(UpgradeBackupClientsResponse, 'UpgradeBackupClients', { ...req });
  }

  /** DescribeTask: the state of an asynchronous job. */
  async describeTask(taskId: string): Promise<DescribeTaskResponse> {
    return this.call(DescribeTaskResponse, 'DescribeTask', { TaskId: taskId }, { readOnly: true });
  }

  /**
   * Polls DescribeTask until the job is finished (completed, expired, cancelled, progress 100 or -1,
   * or a CompletedTime) and returns the last answer; throws TaskTimeoutError after the timeout.
   */
  async waitForTask(taskId: string, opts: WaitForTaskOptions = {}): Promise<DescribeTaskResponse> {
    const timeoutMs = opts.timeoutMs ?? this.config.taskTimeoutMs;
    const pollMs = opts.pollMs ?? this.config.taskPollMs;
    const deadline = this.now() + timeoutMs;
    let last: DescribeTaskResponse | undefined;
    for (;;) {
      last = await this.describeTask(taskId);
      opts.onPoll?.(last);
      if (isTaskFinished(last)) return last;
      const remaining = deadline - this.now();
      if (remaining <= 0) throw new TaskTimeoutError(taskId, timeoutMs, last);
      await this.sleep(Math.min(pollMs, remaining));
    }
  }

  /**
   * Any RPC call. Resolves with the JSON body parsed by `schema`; rejects with ApiError on a non-2xx
   * answer, `"Success": false` or a body not of the documented shape, TransportError when no answer came. Read-only calls are retried after any
   * transient failure, writes only when the service cannot have applied them (see http/retry).
   */
  async call<S extends typeof HbrResponse>(schema: S, action: string, params: Readonly<Record<string, RpcValue>>,
    opts: { readonly readOnly?: boolean; readonly secrets?: ReadonlyArray<string | undefined> } = {}): Promise<z.infer<S>> {
    const req = new SignedRpcRequest(this.config, action, flattenParams(params), this.options.nonce ?? randomUUID, this.now);
    const secrets = [this.config.accessKeySecret, this.config.securityToken, ...(opts.secrets ?? [])];
    let res: HttpResponse;
    try {
      res = await this.transport.send(req, {
        retryUnsafe: opts.readOnly ?? false,
        service: 'HBR',
        secrets,
        authorize: (_r, attempt) => {
          if (attempt > 1) req.sign();
          this.options.onRequest?.({ action, attempt, nonce: req.nonce });
          return {};
        },
      });
    } catch (err) {
      // Every RPC call is POST /: name the action instead.
      if (err instanceof TransportError) err.message = err.message.replace(/^HBR POST \/ /, `HBR POST ${action} `);
      throw err;
    }
    return this.parse(schema, action, res, secrets);
  }

  private parse<S extends typeof HbrResponse>(schema: S, action: string, res: HttpResponse, secrets: ReadonlyArray<string | undefined>): z.infer<S> {
    const json = parseJson(res.body) as HbrResponse | undefined;
    const base = { method: 'POST', path: action, service: 'HBR', attempts: res.attempts, secrets };
    if (res.status < 200 || res.status >= 300) {
      throw new ApiError({
        ...base,
        status: res.status,
        errorCode: json && typeof json === 'object' && json.Code !== undefined ? String(json.Code) : undefined,
        errorMsg: json && typeof json === 'object' ? json.Message : res.body.trim().slice(0, 200) || undefined,
        requestId: json?.RequestId ?? res.headers['x-acs-request-id'],
      });
    }
    if (!json || typeof json !== 'object') {
      throw new ApiError({ ...base, status: res.status, errorMsg: `response is not JSON: ${res.body.slice(0, 100)}` });
    }
    if (json.Success === false) {
      throw new ApiError({
        ...base,
        status: res.status,
        errorCode: json.Code === undefined ? undefined : String(json.Code),
        errorMsg: json.Message,
        requestId: json.RequestId,
      });
    }
    const parsed = parseResponse(schema, json, action);
    if ('problem' in parsed) throw new ApiError({ ...base, status: res.status, errorMsg: parsed.problem });
    return parsed.data;
  }
}

/** Whether a DescribeTask answer shows a finished job, successful or not. */
export function isTaskFinished(task: DescribeTaskResponse): boolean {
  const d = (task.Description ?? '').toLowerCase();
  if (d === 'completed' || d === 'expired' || d === 'cancelled') return true;
  if (task.Progress === -1 || (task.Progress ?? 0) >= 100) return true;
  return typeof task.CompletedTime === 'number' && task.CompletedTime > 0;
}

/** Whether a finished job failed as a whole (the per-instance result is read from DescribeBackupClients). */
export function isTaskFailed(task: DescribeTaskResponse): boolean {
  const d = (task.Description ?? '').toLowerCase();
  return task.Progress === -1 || d === 'expired' || d === 'cancelled';
}
