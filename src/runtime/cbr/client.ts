import type * as z from 'zod/mini';
import { CbrConfig, CbrLocation, loadCbrConfig, TokenAuth } from './config';
import type { AssociatePolicyRequest } from '../../api/cbr/associations';
import type { TokenRequest } from '../../api/cbr/iam';
import type { CreatePolicyRequest, UpdatePolicyRequest } from '../../api/cbr/policies';
import type { ResourceCreate } from '../../api/cbr/resources';
import {
  AddResourcesResponse, AssociatePolicyResponse, ListPoliciesQuery, ListPoliciesResponse, ListVaultsQuery, ListVaultsResponse,
  MigrateResourcesResponse, Policy, PolicyResponse, RemoveResourcesResponse, ResourceInstancesResponse, SetResourcesResponse,
  TokenResponse, Vault, VaultOrderResponse, VaultPolicyResp, VaultResponse, VaultTag, VaultTagsResponse,
} from '../../api/cbr/responses';
import { signRequest } from '../../api/cbr/signer';
import type { Tag } from '../../api/cbr/tags';
import type { CreateVaultRequest, OrderVaultRequest, UpdateVaultRequest } from '../../api/cbr/vaults';
import { CBR_ERRORS } from '../../api/errors';
import { parseResponse } from '../../api/response';
import { ApiError, safePath } from '../errors';
import { HttpRequest, HttpResponse, HttpTransport, sharedAgent } from '../http/transport';

/** One HTTP attempt, retries included; for counting calls in tests and benchmarks. */
export interface RequestEvent {
  /** CBR, or IAM for token requests. */
  readonly service: string;
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  /** 1 for the first attempt, 2+ for retries. */
  readonly attempt: number;
}

export interface CbrClientOptions {
  readonly onRequest?: (event: RequestEvent) => void;
  /** Clock for X-Sdk-Date and token expiry. @default Date.now */
  readonly now?: () => number;
  /** `limit` used by listAllVaults. @default 1000 (the documented maximum) */
  readonly listPageSize?: number;
}

type QueryValue = string | number | boolean | ReadonlyArray<string> | undefined;

export interface CbrRequestOptions {
  /** What the call is, for messages: its section in the API reference, e.g. "4.5.2 Querying a Specified Vault". */
  readonly api?: string;
  readonly query?: object;
  /** Serialized as JSON. */
  readonly body?: unknown;
  /** See SendOptions.retryUnsafe. @default false */
  readonly retryUnsafe?: boolean;
}

/** Tokens are refreshed this long before `expires_at`. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** 3.2: "The validity period of a token is 24 hours", used when IAM omits expires_at. */
const TOKEN_DEFAULT_VALIDITY_MS = 24 * 3600_000;
/** Guards listAllVaults against a server that ignores offset. */
const MAX_PAGES = 10_000;

function queryString(query: object | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads error_code/error_msg (CBR, APIGW) or error.code/message (IAM) from an error body. */
function errorDetails(res: HttpResponse): { errorCode?: string; errorMsg?: string; requestId?: string } {
  const body = parseJson(res.body) as Record<string, unknown> | undefined;
  const requestId = res.headers['x-request-id'] ?? (typeof body?.request_id === 'string' ? body.request_id : undefined);
  if (body && typeof body === 'object') {
    if (typeof body.error_code === 'string' || typeof body.error_msg === 'string') {
      return { errorCode: body.error_code as string | undefined, errorMsg: body.error_msg as string | undefined, requestId };
    }
    const nested = body.error as Record<string, unknown> | undefined;
    if (nested && typeof nested === 'object') {
      return {
        errorCode: nested.code === undefined ? undefined : String(nested.code),
        errorMsg: typeof nested.message === 'string' ? nested.message : undefined,
        requestId,
      };
    }
  }
  // 4.5.2 documents a 404 whose body is a vault object; other bodies may be HTML from a proxy.
  const text = res.body.trim();
  return { errorMsg: text && !text.startsWith('{') ? text.slice(0, 200) : undefined, requestId };
}

/**
 * Typed client for the CBR v3 vault and policy APIs (4.5.1-4.5.5, 4.8.1-4.8.5), authenticated
 * by AK/SK signing or by an IAM token, over a retrying transport.
 */
export class CbrClient {
  /** Config and transport (timeouts, retries, CA file, proxies) from the settings the process read at its start, for objects `at` a region and project. */
  static fromSettings<T extends CbrClient>(this: new (config: CbrConfig, transport: HttpTransport, options: CbrClientOptions) => T,
    settings: import('../settings').Settings, options: CbrClientOptions = {}, at: CbrLocation = {}): T {
    const config = loadCbrConfig(settings, at);
    return new this(config, HttpTransport.fromSettings(settings, { dispatcher: sharedAgent(settings) }), options);
  }

  private readonly now: () => number;
  private token?: { readonly value: string; readonly refreshAt: number };
  private tokenInFlight?: Promise<string>;

  constructor(
    readonly config: CbrConfig,
    private readonly transport: HttpTransport = new HttpTransport(),
    readonly options: CbrClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  // ---- vaults ----------------------------------------------------------------------------------

  /** 4.5.1 POST /v3/{project_id}/vaults. Not retried after a possible commit: look up before re-posting. */
  async createVault(body: CreateVaultRequest): Promise<Vault> {
    return (await this.call(VaultResponse, 'POST', this.projectPath('vaults'), { api: '4.5.1 Creating a Vault', body })).vault;
  }

  /**
   * 4.5.14 POST /v3/{project_id}/vaults/order: orders a yearly/monthly vault. The vault appears
   * once the order completes (and is paid); orders[].resourceId is its pre-generated id.
   */
  async orderVault(body: OrderVaultRequest): Promise<VaultOrderResponse> {
    return (await this.callOptional(VaultOrderResponse, 'POST', this.projectPath('vaults', 'order'), { api: '4.5.14 Creating a Yearly/Monthly Vault', body })) ?? {};
  }

  /** 4.5.2 GET /v3/{project_id}/vaults/{vault_id} */
  async showVault(vaultId: string): Promise<Vault> {
    return (await this.call(VaultResponse, 'GET', this.projectPath('vaults', vaultId), { api: '4.5.2 Querying a Specified Vault' })).vault;
  }

  /** 4.5.3 GET /v3/{project_id}/vaults: one page. */
  async listVaults(query: ListVaultsQuery = {}): Promise<{ vaults: Vault[]; count?: number }> {
    const res = await this.callOptional(ListVaultsResponse, 'GET', this.projectPath('vaults'), { api: '4.5.3 Querying the Vault List', query });
    return { vaults: res?.vaults ?? [], count: res?.count };
  }

  /** 4.5.3, every page: limit/offset until a short page, `count` reached, or no new vault. */
  async listAllVaults(filter: Omit<ListVaultsQuery, 'limit' | 'offset'> = {}): Promise<Vault[]> {
    const limit = this.options.listPageSize ?? 1000;
    const byId = new Map<string, Vault>();
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      // offset is documented as "a positive integer": leave it out on the first page.
      const res = await this.listVaults({ ...filter, limit, ...(offset > 0 ? { offset } : {}) });
      const before = byId.size;
      // Offset paging can repeat a vault when others are created meanwhile; keep the first copy.
      for (const v of res.vaults) if (!byId.has(v.id)) byId.set(v.id, v);
      offset += res.vaults.length;
      if (res.vaults.length < limit || byId.size === before) break;
      if (typeof res.count === 'number' && offset >= res.count) break;
    }
    return [...byId.values()];
  }

  /** 4.5.4 PUT /v3/{project_id}/vaults/{vault_id} */
  async updateVault(vaultId: string, body: UpdateVaultRequest): Promise<Vault> {
    return (await this.call(VaultResponse, 'PUT', this.projectPath('vaults', vaultId), { api: '4.5.4 Modifying a Vault', body })).vault;
  }

  /** 4.5.5 DELETE /v3/{project_id}/vaults/{vault_id}: deletes the vault's backups too. */
  async deleteVault(vaultId: string): Promise<void> {
    await this.request('DELETE', this.projectPath('vaults', vaultId));
  }

  // ---- policies --------------------------------------------------------------------------------

  /** 4.8.1 POST /v3/{project_id}/policies. Not retried after a possible commit: look up before re-posting. */
  async createPolicy(body: CreatePolicyRequest): Promise<Policy> {
    return (await this.call(PolicyResponse, 'POST', this.projectPath('policies'), { api: '4.8.1 Creating a Policy', body })).policy;
  }

  /** 4.8.2 GET /v3/{project_id}/policies/{policy_id} */
  async showPolicy(policyId: string): Promise<Policy> {
    return (await this.call(PolicyResponse, 'GET', this.projectPath('policies', policyId), { api: '4.8.2 Querying a Single Policy' })).policy;
  }

  /** 4.8.3 GET /v3/{project_id}/policies. The document defines no paging, so this is the whole list. */
  async listPolicies(query: ListPoliciesQuery = {}): Promise<Policy[]> {
    const res = await this.callOptional(ListPoliciesResponse, 'GET', this.projectPath('policies'), { api: '4.8.3 Querying the Policy List', query });
    return res?.policies ?? [];
  }

  /** 4.8.4 PUT /v3/{project_id}/policies/{policy_id} */
  async updatePolicy(policyId: string, body: UpdatePolicyRequest): Promise<Policy> {
    return (await this.call(PolicyResponse, 'PUT', this.projectPath('policies', policyId), { api: '4.8.4 Modifying a Policy', body })).policy;
  }

  /** 4.8.5 DELETE /v3/{project_id}/policies/{policy_id} */
  async deletePolicy(policyId: string): Promise<void> {
    await this.request('DELETE', this.projectPath('policies', policyId));
  }

  // ---- vault relations: policies (4.5.8/4.5.9), resources (4.5.6/4.5.7/4.5.11/4.5.13), tags (4.7.2-4.7.5) ---

  /** 4.5.8 POST /v3/{project_id}/vaults/{vault_id}/associatepolicy */
  async associatePolicy(vaultId: string, body: AssociatePolicyRequest): Promise<VaultPolicyResp> {
    const res = await this.call(AssociatePolicyResponse, 'POST', this.projectPath('vaults', vaultId, 'associatepolicy'),
      { api: '4.5.8 Applying a Policy to a Vault', body, retryUnsafe: true });
    return res.associate_policy;
  }

  /** 4.5.9 POST /v3/{project_id}/vaults/{vault_id}/dissociatepolicy */
  async dissociatePolicy(vaultId: string, policyId: string): Promise<void> {
    await this.request('POST', this.projectPath('vaults', vaultId, 'dissociatepolicy'), { body: { policy_id: policyId }, retryUnsafe: true });
  }

  /** 4.5.7 POST /v3/{project_id}/vaults/{vault_id}/addresources. Adding is idempotent: safe to retry. */
  async addResources(vaultId: string, resources: ResourceCreate[]): Promise<string[]> {
    const res = await this.callOptional(AddResourcesResponse, 'POST', this.projectPath('vaults', vaultId, 'addresources'),
      { api: '4.5.7 Associating Resources', body: { resources }, retryUnsafe: true });
    return res?.add_resource_ids ?? [];
  }

  /** 4.5.6 POST /v3/{project_id}/vaults/{vault_id}/removeresources: deletes those resources' backups too. */
  async removeResources(vaultId: string, resourceIds: string[]): Promise<string[]> {
    const res = await this.callOptional(RemoveResourcesResponse, 'POST', this.projectPath('vaults', vaultId, 'removeresources'),
      { api: '4.5.6 Dissociating Resources', body: { resource_ids: resourceIds }, retryUnsafe: true });
    return res?.remove_resource_ids ?? [];
  }

  /**
   * 4.5.11 POST /v3/{project_id}/vaults/{vault_id}/migrateresources: moves resources of `vaultId`,
   * with their backups, to `destinationVaultId`; resolves with the migrated resource ids. Retried
   * like addResources. The document states nothing about repeating a migration: the emulator counts
   * a resource the destination already holds as migrated, so a retry whose first answer was lost
   * gets the same answer. A server that instead answers the retry with 6135 ("The resource does
   * not exist in the vault") is checked against the destination: when it holds every resource,
   * the migration happened and the ids are returned.
   */
  async migrateResources(vaultId: string, destinationVaultId: string, resourceIds: string[]): Promise<string[]> {
    const body = { destination_vault_id: destinationVaultId, resource_ids: resourceIds };
    try {
      const res = await this.callOptional(MigrateResourcesResponse, 'POST', this.projectPath('vaults', vaultId, 'migrateresources'),
        { api: '4.5.11 Migrating Resources', body, retryUnsafe: true });
      return res?.migrated_resources ?? [];
    } catch (e) {
      if (!(e instanceof ApiError) || e.errorCode !== CBR_ERRORS.RESOURCE_NOT_IN_VAULT.code || e.attempts < 2) throw e;
      const held = new Set(((await this.showVault(destinationVaultId)).resources ?? []).map((r) => r.id));
      if (!resourceIds.every((id) => held.has(id))) throw e;
      return resourceIds;
    }
  }

  /**
   * 4.5.13 PUT /v3/{project_id}/vaults/{vault_id}/set-resources: suspends or resumes auto backup of
   * resources of the vault; resolves with set_resource_ids. Setting the same state again is harmless: safe to retry.
   */
  async setResources(vaultId: string, resourceIds: string[], action: 'suspend' | 'unsuspend'): Promise<string[]> {
    const body = { resource_ids: resourceIds, action };
    const res = await this.callOptional(SetResourcesResponse, 'PUT', this.projectPath('vaults', vaultId, 'set-resources'),
      { api: '4.5.13 Setting Auto Backup for a Vault', body, retryUnsafe: true });
    return res?.set_resource_ids ?? [];
  }

  /**
   * 4.5.3 GET /v3/{project_id}/vaults?resource_ids=...: the vaults holding the resource, every page.
   * The filter takes comma-separated ids, so an id with a comma in it could match other resources:
   * only vaults whose `resources` list the id are kept (and any vault answered without `resources`).
   */
  async findVaultsByResource(resourceId: string): Promise<Vault[]> {
    const vaults = await this.listAllVaults({ resource_ids: resourceId });
    return vaults.filter((v) => v.resources === undefined || v.resources.some((r) => r.id === resourceId));
  }

  /**
   * 4.7.1 POST /v3/{project_id}/vault/resource_instances/action: the vaults carrying tag
   * `key`=`value` (one page of up to 1000, the documented maximum). A query, so safe to retry.
   */
  async listVaultsByTag(key: string, value: string): Promise<Vault[]> {
    const body = { action: 'filter', tags: [{ key, values: [value] }], limit: '1000' };
    const res = await this.callOptional(ResourceInstancesResponse, 'POST', this.projectPath('vault', 'resource_instances', 'action'),
      { api: '4.7.1 Querying Vault Resources', body, retryUnsafe: true });
    return (res?.resources ?? []).flatMap((r) => {
      const vault = r.resource_detail?.vault;
      return vault ? [{ ...vault, tags: vault.tags ?? r.tags }] : [];
    });
  }

  /** 4.7.2 POST /v3/{project_id}/vault/{vault_id}/tags/action (idempotent by the document). */
  async batchVaultTags(vaultId: string, action: 'create' | 'delete', tags: VaultTag[]): Promise<void> {
    await this.request('POST', this.projectPath('vault', vaultId, 'tags', 'action'), { body: { action, tags }, retryUnsafe: true });
  }

  /** 4.7.3 POST /v3/{project_id}/vault/{vault_id}/tags (idempotent: overwrites the key). */
  async createVaultTag(vaultId: string, tag: Tag): Promise<void> {
    await this.request('POST', this.projectPath('vault', vaultId, 'tags'), { body: { tag }, retryUnsafe: true });
  }

  /** 4.7.4 DELETE /v3/{project_id}/vault/{vault_id}/tags/{key} (404 when the key is absent). */
  async deleteVaultTag(vaultId: string, key: string): Promise<void> {
    await this.request('DELETE', this.projectPath('vault', vaultId, 'tags', key));
  }

  /** 4.7.5 GET /v3/{project_id}/vault/{vault_id}/tags */
  async listVaultTags(vaultId: string): Promise<VaultTag[]> {
    const res = await this.callOptional(VaultTagsResponse, 'GET', this.projectPath('vault', vaultId, 'tags'), { api: '4.7.5 Querying Tags of an Associated Resource' });
    return res?.tags ?? [];
  }

  // ---- generic ---------------------------------------------------------------------------------

  /** `/v3/{project_id}/a/b`, each segment percent-encoded. */
  projectPath(...segments: string[]): string {
    return ['', 'v3', this.config.projectId, ...segments].map((s) => encodeURIComponent(s)).join('/');
  }

  /**
   * Any CBR call: `path` is relative to the endpoint. Resolves with the parsed JSON body
   * (undefined when empty); rejects with ApiError on a non-2xx answer, TransportError when no
   * answer came.
   */
  async request<T = unknown>(method: string, path: string, opts: CbrRequestOptions = {}): Promise<T | undefined> {
    const url = `${this.config.endpoint}${path}${queryString(opts.query)}`;
    const req: HttpRequest = {
      method: method.toUpperCase(),
      url,
      headers: { 'Content-Type': 'application/json' },
      body: opts.body === undefined ? '' : JSON.stringify(opts.body),
    };
    let res = await this.send(req, opts.retryUnsafe);
    if (res.status === 401 && this.config.auth.kind === 'token' && this.token) {
      // The cached token was revoked or expired early: fetch a new one and try once more.
      this.token = undefined;
      res = await this.send(req, opts.retryUnsafe);
    }
    return this.parse<T>(req, res, 'CBR');
  }

  private send(req: HttpRequest, retryUnsafe: boolean | undefined): Promise<HttpResponse> {
    const auth = this.config.auth;
    const path = safePath(req.url);
    return this.transport.send(req, {
      retryUnsafe,
      service: 'CBR',
      secrets: this.secrets(),
      authorize: async (r, attempt) => {
        const headers = auth.kind === 'aksk'
          ? signRequest({ method: r.method, url: r.url, headers: r.headers ?? {}, body: r.body ?? '' }, auth.accessKey, auth.secretKey, new Date(this.now()))
          : { 'X-Auth-Token': await this.getToken(auth) };
        // Reported once the attempt is about to go out (after any token request it needed).
        this.options.onRequest?.({ service: 'CBR', method: r.method, path, attempt });
        return headers;
      },
    });
  }

  /** A call whose answer must have a body of `schema`'s shape (an empty body fails like a malformed one). */
  private async call<S extends z.ZodMiniType>(schema: S, method: string, path: string, opts: CbrRequestOptions): Promise<z.infer<S>> {
    return this.checked(schema, await this.request(method, path, opts), method, path, opts.api);
  }

  /** A call whose answer, when it has a body, has `schema`'s shape: parsed here, so no handler meets a malformed field later. */
  private async callOptional<S extends z.ZodMiniType>(schema: S, method: string, path: string, opts: CbrRequestOptions):
  Promise<z.infer<S> | undefined> {
    const res = await this.request(method, path, opts);
    return res === undefined ? undefined : this.checked(schema, res, method, path, opts.api);
  }

  private checked<S extends z.ZodMiniType>(schema: S, json: unknown, method: string, path: string, api = 'the API', service = 'CBR'): z.infer<S> {
    const parsed = parseResponse(schema, json, api);
    if ('problem' in parsed) throw new ApiError({ status: 200, method, path, service, errorMsg: parsed.problem });
    return parsed.data;
  }

  private parse<T>(req: HttpRequest, res: HttpResponse, service: string): T | undefined {
    if (res.status >= 200 && res.status < 300) {
      if (res.body.trim() === '') return undefined;
      const json = parseJson(res.body);
      if (json === undefined) {
        throw new ApiError({
          status: res.status,
          method: req.method,
          path: req.url,
          service,
          attempts: res.attempts,
          requestId: res.headers['x-request-id'],
          errorMsg: `response is not JSON: ${res.body.slice(0, 100)}`,
          secrets: this.secrets(),
        });
      }
      return json as T;
    }
    throw new ApiError({
      status: res.status, method: req.method, path: req.url, service, attempts: res.attempts, secrets: this.secrets(), ...errorDetails(res),
    });
  }

  private secrets(): Array<string | undefined> {
    const auth = this.config.auth;
    return auth.kind === 'aksk' ? [auth.secretKey] : [auth.password, this.token?.value];
  }

  // ---- IAM token (3.2) -------------------------------------------------------------------------

  /** A cached token, fetched once at a time and refreshed 5 minutes before it expires. */
  private getToken(auth: TokenAuth): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.tokenInFlight ??= this.fetchToken(auth).finally(() => { this.tokenInFlight = undefined; });
    return this.tokenInFlight;
  }

  private async fetchToken(auth: TokenAuth): Promise<string> {
    const project = auth.projectName ? { name: auth.projectName } : { id: this.config.projectId };
    const tokenRequest: TokenRequest = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: auth.userName, password: auth.password, domain: { name: auth.domainName } } },
        },
        scope: { project },
      },
    };
    const req: HttpRequest = { method: 'POST', url: `${auth.authUrl}/auth/tokens`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(tokenRequest) };
    const path = safePath(req.url);
    const issuedAt = this.now();
    // Asking for a token changes nothing server-side, so it is safe to retry.
    const res = await this.transport.send(req, {
      retryUnsafe: true,
      service: 'IAM',
      secrets: [auth.password],
      authorize: (r, attempt) => {
        this.options.onRequest?.({ service: 'IAM', method: r.method, path, attempt });
        return {};
      },
    });
    const body = this.checked(TokenResponse, this.parse(req, res, 'IAM') ?? {}, 'POST', path, '3.2 Token Authentication', 'IAM');
    const value = res.headers['x-subject-token'];
    if (!value) {
      throw new ApiError({ status: res.status, method: 'POST', path, service: 'IAM', errorMsg: 'response has no X-Subject-Token header', requestId: res.headers['x-request-id'] });
    }
    const expiresAt = Date.parse(body?.token?.expires_at ?? '');
    const expiry = Number.isNaN(expiresAt) ? issuedAt + TOKEN_DEFAULT_VALIDITY_MS : expiresAt;
    this.token = { value, refreshAt: expiry - TOKEN_REFRESH_MARGIN_MS };
    return value;
  }
}
