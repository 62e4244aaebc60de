import { invalidParameter, missingParameter, RpcError } from './errors';

/**
 * The HBR requests the hooks send, once: the action parameters of 000 CreateClients, 001
 * DescribeBackupClients, 002 UpgradeBackupClients and DescribeTask as the client builds them, and
 * the decoders that read them back from the RPC parameters on the wire (lists as JSON or `Name.N`,
 * tags as `Tag.N.Key`), checking each parameter as the documents bound it. The hook's client
 * encodes (src/runtime/hbr/client.ts); the emulator decodes, then applies the service's rules.
 * A violation is an RpcError: `Missing<Name>` for a mandatory parameter left out, InvalidParameter
 * for one of the wrong form.
 */

/** RPC parameters as they arrive: every value a string. */
export type RpcParams = Readonly<Record<string, string>>;

/** One element of CreateClients' ClientInfo JSON (000 example). */
export interface ClientInfoEntry {
  readonly instanceId: string;
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly clusterId?: string;
  readonly sourceTypes?: readonly string[];
}

export interface CreateClientsRequest {
  readonly VaultId: string;
  /** INHERITED is the only documented value. */
  readonly AlertSetting?: string;
  readonly ClientInfo?: readonly ClientInfoEntry[];
  readonly UseHttps?: boolean;
  readonly ResourceGroupId?: string;
}

export type ClientType = 'ECS_CLIENT' | 'CONTAINER_CLIENT';
export type CrossAccountType = 'SELF_ACCOUNT' | 'CROSS_ACCOUNT';

export interface DescribeBackupClientsRequest {
  readonly ClientType: ClientType;
  /** 1-based. @default 1 */
  readonly PageNumber?: number;
  /** 1 to 99. @default 10 */
  readonly PageSize?: number;
  readonly ClusterId?: string;
  readonly ClientIds?: readonly string[];
  readonly InstanceIds?: readonly string[];
  /** Up to 20 tags (Tag.N.Key / Tag.N.Value). */
  readonly Tag?: ReadonlyArray<{ readonly Key: string; readonly Value?: string }>;
  readonly CrossAccountType?: CrossAccountType;
  /** A long integer, kept as its digits. */
  readonly CrossAccountUserId?: string;
  readonly CrossAccountRoleName?: string;
}

export interface UpgradeBackupClientsRequest {
  readonly InstanceIds?: readonly string[];
  readonly ClientIds?: readonly string[];
  readonly CrossAccountType?: CrossAccountType;
  /** A long integer, kept as its digits. */
  readonly CrossAccountUserId?: string;
  readonly CrossAccountRoleName?: string;
}


/** DescribeTask. */
export interface DescribeTaskRequest {
  readonly TaskId: string;
}

function bool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidParameter(`${name} must be true or false, got ${JSON.stringify(value)}.`);
}

function int(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?\d+$/.test(value)) throw invalidParameter(`${name} must be an integer, got ${JSON.stringify(value)}.`);
  const n = Number(value);
  if (n < min || n > max) throw invalidParameter(`${name} must be from ${min} to ${max}, got ${n}.`);
  return n;
}

function required(params: RpcParams, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** A list parameter, as a JSON array (`["a","b"]`, what the SDKs send) or a repeat list (`Name.1=a&Name.2=b`). */
function list(params: RpcParams, name: string): string[] | undefined {
  const raw = params[name];
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // A single bare id is accepted too.
      return raw === '' ? [] : raw.split(',').map((s) => s.trim()).filter(Boolean);
    }
    if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string')) {
      throw invalidParameter(`${name} must be a JSON array of strings, got ${raw.slice(0, 100)}.`);
    }
    return parsed as string[];
  }
  const repeated = Object.keys(params)
    .map((k) => new RegExp(`^${name}\\.(\\d+)$`).exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => params[m[0]]);
  return repeated.length > 0 ? repeated : undefined;
}

function crossAccount(params: RpcParams): Pick<DescribeBackupClientsRequest, 'CrossAccountType' | 'CrossAccountUserId' | 'CrossAccountRoleName'> {
  const type = params.CrossAccountType ?? 'SELF_ACCOUNT';
  if (type !== 'SELF_ACCOUNT' && type !== 'CROSS_ACCOUNT') {
    throw invalidParameter(`CrossAccountType must be SELF_ACCOUNT or CROSS_ACCOUNT, got ${JSON.stringify(type)}.`);
  }
  const userId = params.CrossAccountUserId;
  if (userId !== undefined && !/^\d{1,19}$/.test(userId)) throw invalidParameter(`CrossAccountUserId must be a long integer, got ${JSON.stringify(userId)}.`);
  return { CrossAccountType: type, CrossAccountUserId: userId, CrossAccountRoleName: params.CrossAccountRoleName };
}

/** ClientInfo (000): a JSON array of objects with an instanceId; an instance listed twice counts once. */
function clientInfo(raw: string | undefined): ClientInfoEntry[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw invalidParameter(`ClientInfo is not valid JSON: ${(e as Error).message}.`);
  }
  if (!Array.isArray(parsed)) throw invalidParameter('ClientInfo must be a JSON array of objects with an instanceId.');
  const seen = new Set<string>();
  const out: ClientInfoEntry[] = [];
  parsed.forEach((item: unknown, i) => {
    const o = item as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.instanceId !== 'string' || o.instanceId === '') {
      throw invalidParameter(`ClientInfo[${i}] must be an object with a non-empty instanceId.`);
    }
    for (const f of ['accessKeyId', 'accessKeySecret', 'clusterId'] as const) {
      if (o[f] !== undefined && typeof o[f] !== 'string') throw invalidParameter(`ClientInfo[${i}].${f} must be a string.`);
    }
    if (o.sourceTypes !== undefined && (!Array.isArray(o.sourceTypes) || o.sourceTypes.some((s) => typeof s !== 'string'))) {
      throw invalidParameter(`ClientInfo[${i}].sourceTypes must be an array of strings.`);
    }
    if (seen.has(o.instanceId)) return;
    seen.add(o.instanceId);
    out.push(o as unknown as ClientInfoEntry);
  });
  return out;
}

/** The tag rules of 001: keys and values not empty, not starting with aliyun or acs:, without URLs. */
function tagProblem(kind: string, v: string): string | undefined {
  if (v === '') return `The tag ${kind} cannot be an empty string.`;
  if (/^(aliyun|acs:)/i.test(v)) return `The tag ${kind} cannot start with aliyun or acs:.`;
  if (/https?:\/\//i.test(v)) return `The tag ${kind} cannot contain http:// or https://.`;
  return undefined;
}

/** Tag.N.Key / Tag.N.Value (N from 1 to 20), or the JSON list some SDKs send as Tag. */
function tags(params: RpcParams): Array<{ Key: string; Value?: string }> {
  const out: Array<{ Key: string; Value?: string }> = [];
  const indexes = new Set<number>();
  for (const k of Object.keys(params)) {
    const m = /^Tag\.(\d+)\.(Key|Value)$/.exec(k);
    if (m) indexes.add(Number(m[1]));
  }
  for (const n of [...indexes].sort((a, b) => a - b)) {
    if (n < 1 || n > 20) throw invalidParameter(`Tag.${n}: valid values of N are 1 to 20.`);
    const key = params[`Tag.${n}.Key`];
    const value = params[`Tag.${n}.Value`];
    if (key === undefined) throw invalidParameter(`Tag.${n}.Key is missing.`);
    const keyProblem = tagProblem('key', key);
    if (keyProblem) throw invalidParameter(`Tag.${n}.Key: ${keyProblem}`);
    if (value !== undefined) {
      const valueProblem = tagProblem('value', value);
      if (valueProblem) throw invalidParameter(`Tag.${n}.Value: ${valueProblem}`);
    }
    out.push({ Key: key, ...(value !== undefined ? { Value: value } : {}) });
  }
  if (params.Tag !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.Tag);
    } catch {
      throw invalidParameter('Tag must be Tag.N.Key / Tag.N.Value pairs or a JSON array of {Key, Value}.');
    }
    if (!Array.isArray(parsed) || parsed.length > 20) throw invalidParameter('Tag must be a JSON array of at most 20 {Key, Value}.');
    for (const t of parsed as Array<{ Key?: unknown; Value?: unknown }>) {
      if (typeof t?.Key !== 'string') throw invalidParameter('Each Tag needs a Key.');
      const problem = tagProblem('key', t.Key);
      if (problem) throw invalidParameter(problem);
      out.push({ Key: t.Key, ...(typeof t.Value === 'string' ? { Value: t.Value } : {}) });
    }
  }
  return out;
}

/** 000 CreateClients. */
export function decodeCreateClients(p: RpcParams): CreateClientsRequest & { readonly ClientInfo: readonly ClientInfoEntry[] } {
  const vaultId = required(p, 'VaultId');
  if (!/^v-[A-Za-z0-9*]+$/.test(vaultId)) throw invalidParameter(`VaultId ${JSON.stringify(vaultId)} is not a backup vault id (v-...).`);
  if (p.AlertSetting !== undefined && p.AlertSetting !== 'INHERITED') {
    throw invalidParameter(`AlertSetting must be INHERITED, got ${JSON.stringify(p.AlertSetting)}.`);
  }
  const useHttps = bool('UseHttps', p.UseHttps);
  if (p.ResourceGroupId !== undefined && p.ResourceGroupId !== '' && !/^rg-[A-Za-z0-9]+$/.test(p.ResourceGroupId)) {
    throw invalidParameter(`ResourceGroupId ${JSON.stringify(p.ResourceGroupId)} is not a resource group id (rg-...).`);
  }
  return {
    VaultId: vaultId, AlertSetting: p.AlertSetting, UseHttps: useHttps, ResourceGroupId: p.ResourceGroupId, ClientInfo: clientInfo(p.ClientInfo),
  };
}

/** 001 DescribeBackupClients, with the documented defaults of PageNumber (1) and PageSize (10). */
export function decodeDescribeBackupClients(p: RpcParams): DescribeBackupClientsRequest & { readonly PageNumber: number; readonly PageSize: number } {
  const clientType = required(p, 'ClientType');
  if (clientType !== 'ECS_CLIENT' && clientType !== 'CONTAINER_CLIENT') {
    throw invalidParameter(`ClientType must be ECS_CLIENT or CONTAINER_CLIENT, got ${JSON.stringify(clientType)}.`);
  }
  return {
    ClientType: clientType,
    PageNumber: int('PageNumber', p.PageNumber, 1, 2 ** 31 - 1, 1),
    PageSize: int('PageSize', p.PageSize, 1, 99, 10),
    ClientIds: list(p, 'ClientIds'),
    InstanceIds: list(p, 'InstanceIds'),
    Tag: tags(p),
    ...crossAccount(p),
    ClusterId: p.ClusterId,
  };
}

/**
 * 002 UpgradeBackupClients. Both lists are marked required, and "The total number of ECS instance
 * IDs and Cloud Backup client IDs cannot exceed 100": either list may carry the targets, so at
 * least one of them must.
 */
export function decodeUpgradeBackupClients(p: RpcParams):
UpgradeBackupClientsRequest & { readonly InstanceIds: readonly string[]; readonly ClientIds: readonly string[] } {
  const instanceIds = list(p, 'InstanceIds') ?? [];
  const clientIds = list(p, 'ClientIds') ?? [];
  if (instanceIds.length === 0 && clientIds.length === 0) {
    throw new RpcError(400, 'MissingInstanceIds', 'InstanceIds or ClientIds is mandatory for this action.');
  }
  if (instanceIds.length + clientIds.length > 100) {
    throw invalidParameter(`The total number of ECS instance IDs and client IDs cannot exceed 100, got ${instanceIds.length + clientIds.length}.`);
  }
  return { InstanceIds: instanceIds, ClientIds: clientIds, ...crossAccount(p) };
}

/** DescribeTask. */
export function decodeDescribeTask(p: RpcParams): DescribeTaskRequest {
  return { TaskId: required(p, 'TaskId') };
}
