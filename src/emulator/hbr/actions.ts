import { randomUUID } from 'node:crypto';
import { RpcError } from './auth';
import {
  ClientRecord, HbrState, newClientRecord, PendingTransition, randomId, SimulatedInstance, TaskRecord,
} from './state';
import type { InstanceErrorCode } from '../../api/hbr/actions';

/**
 * The HBR actions, as 000 CreateClients, 001 DescribeBackupClients and 002 UpgradeBackupClients
 * document them, plus DescribeTask (the job query those documents refer to).
 */

export interface ActionContext {
  readonly state: HbrState;
  readonly params: Record<string, string>;
  readonly now: number;
  readonly requestId: string;
}

export interface ActionReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}


const INSTANCE_ERROR_MESSAGES: Record<InstanceErrorCode, string> = {
  InstanceNotExists: 'The ECS instance does not exist.',
  InstanceNotRunning: 'The ECS instance is not running.',
  CloudAssistNotRunningOnInstance: 'Cloud Assistant is unavailable.',
};

export function invalidParameter(message: string): RpcError {
  return new RpcError(400, 'InvalidParameter', message);
}

function missing(name: string): RpcError {
  return new RpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}

function ok(ctx: ActionContext, fields: Record<string, unknown>): ActionReply {
  return { status: 200, body: { Code: '200', Message: 'successful', RequestId: ctx.requestId, Success: true, ...fields } };
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

/** A list parameter, as a JSON array (`["a","b"]`, what the SDKs send) or a repeat list (`Name.1=a&Name.2=b`). */
export function listParam(params: Record<string, string>, name: string): string[] | undefined {
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

function crossAccount(params: Record<string, string>): { type: string; userId?: string; roleName?: string } {
  const type = params.CrossAccountType ?? 'SELF_ACCOUNT';
  if (type !== 'SELF_ACCOUNT' && type !== 'CROSS_ACCOUNT') {
    throw invalidParameter(`CrossAccountType must be SELF_ACCOUNT or CROSS_ACCOUNT, got ${JSON.stringify(type)}.`);
  }
  const userId = params.CrossAccountUserId;
  if (userId !== undefined && !/^\d{1,19}$/.test(userId)) throw invalidParameter(`CrossAccountUserId must be a long integer, got ${JSON.stringify(userId)}.`);
  return { type, userId, roleName: params.CrossAccountRoleName };
}

/** Why an instance cannot take (or upgrade) a client, or undefined when it can. */
export function instanceProblem(instance: SimulatedInstance | undefined): InstanceErrorCode | undefined {
  if (!instance) return 'InstanceNotExists';
  if (instance.status !== 'Running') return 'InstanceNotRunning';
  if (!instance.cloudAssistant) return 'CloudAssistNotRunningOnInstance';
  return undefined;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function newTask(ctx: ActionContext, name: string): TaskRecord {
  const task: TaskRecord = { TaskId: randomId('t-', 20), Name: name, createdAt: ctx.now, items: [] };
  ctx.state.data.tasks.push(task);
  return task;
}

function startTransition(ctx: ActionContext, client: ClientRecord, task: TaskRecord, kind: PendingTransition['kind'], instance: SimulatedInstance): void {
  const { settings, maxClientVersion } = ctx.state.data;
  const outcome = kind === 'install' ? instance.installOutcome : instance.upgradeOutcome;
  client.pending = {
    kind,
    taskId: task.TaskId,
    until: ctx.now + (outcome === 'hang' ? settings.taskTimeoutMs : settings.transitionMs),
    outcome,
    targetVersion: maxClientVersion,
  };
  client.Status = kind === 'install' ? 'INSTALLING' : 'UPGRADING';
  client.UpdatedTime = seconds(ctx.now);
  task.items.push({ clientId: client.ClientId, instanceId: client.InstanceId });
}

/**
 * The call was about one instance and that instance cannot take the client: the call fails with
 * the instance's ErrorCode ("If you specify more than one instance IDs ... an error message is
 * returned based on the value of this parameter": with one instance, the call's own error).
 */
function singleInstanceError(instanceId: string, code: InstanceErrorCode, statuses: unknown): RpcError {
  return new RpcError(400, code, `${INSTANCE_ERROR_MESSAGES[code]} (${instanceId})`, { InstanceStatuses: statuses, Success: false });
}

interface ClientInfoItem {
  instanceId: string;
  accessKeyId: string;
  accessKeySecret: string;
  clusterId: string;
  sourceTypes: string[];
}

function parseClientInfo(raw: string | undefined): ClientInfoItem[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw invalidParameter(`ClientInfo is not valid JSON: ${(e as Error).message}.`);
  }
  if (!Array.isArray(parsed)) throw invalidParameter('ClientInfo must be a JSON array of objects with an instanceId.');
  const seen = new Set<string>();
  const out: ClientInfoItem[] = [];
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
    out.push({
      instanceId: o.instanceId,
      accessKeyId: (o.accessKeyId as string | undefined) ?? '',
      accessKeySecret: (o.accessKeySecret as string | undefined) ?? '',
      clusterId: (o.clusterId as string | undefined) ?? '',
      sourceTypes: (o.sourceTypes as string[] | undefined) ?? [],
    });
  });
  return out;
}

/** 000 CreateClients. */
export function createClients(ctx: ActionContext): ActionReply {
  const p = ctx.params;
  const { state } = ctx;
  const vaultId = p.VaultId;
  if (vaultId === undefined || vaultId === '') throw missing('VaultId');
  if (!/^v-[A-Za-z0-9*]+$/.test(vaultId)) throw invalidParameter(`VaultId ${JSON.stringify(vaultId)} is not a backup vault id (v-...).`);
  if (state.data.vaults.length > 0 && !state.data.vaults.includes(vaultId)) {
    throw new RpcError(400, 'InvalidVaultId', `The backup vault ${vaultId} does not exist.`);
  }
  if (p.AlertSetting !== undefined && p.AlertSetting !== 'INHERITED') {
    throw invalidParameter(`AlertSetting must be INHERITED, got ${JSON.stringify(p.AlertSetting)}.`);
  }
  const useHttps = bool('UseHttps', p.UseHttps) ?? false;
  if (p.ResourceGroupId !== undefined && p.ResourceGroupId !== '' && !/^rg-[A-Za-z0-9]+$/.test(p.ResourceGroupId)) {
    throw invalidParameter(`ResourceGroupId ${JSON.stringify(p.ResourceGroupId)} is not a resource group id (rg-...).`);
  }
  const items = parseClientInfo(p.ClientInfo);

  const statuses = items.map((item) => {
    const code = instanceProblem(state.instance(item.instanceId));
    return { ValidInstance: code === undefined, InstanceId: item.instanceId, ...(code ? { ErrorCode: code } : {}) };
  });
  if (items.length === 1 && !statuses[0].ValidInstance) {
    throw singleInstanceError(items[0].instanceId, statuses[0].ErrorCode as InstanceErrorCode, { InstanceStatus: statuses });
  }
  const valid = items.filter((_, i) => statuses[i].ValidInstance);
  let taskId: string | undefined;
  if (valid.length > 0) {
    const task = newTask(ctx, 'CreateClientsTask');
    taskId = task.TaskId;
    for (const item of valid) {
      const instance = state.instance(item.instanceId)!;
      const existing = state.clientsOn(item.instanceId).find((c) => c.ClientType === 'ECS_CLIENT');
      const client: ClientRecord = existing ?? newClientRecord(instance, {
        vaultId, status: 'NOT_INSTALLED', clientVersion: '', now: seconds(ctx.now), lastHeartBeat: 0, useHttps,
      });
      if (!existing) state.data.clients.push(client);
      client.VaultId = vaultId;
      client.ClusterId = item.clusterId;
      client.SourceTypes = item.sourceTypes;
      client.AccessKeyId = item.accessKeyId;
      client.AlertSetting = p.AlertSetting ?? '';
      client.ResourceGroupId = p.ResourceGroupId ?? '';
      client.Settings.UseHttps = String(useHttps);
      startTransition(ctx, client, task, 'install', instance);
    }
  }
  return ok(ctx, { ...(taskId ? { TaskId: taskId } : {}), InstanceStatuses: { InstanceStatus: statuses } });
}

const TAG_KEY_RULES = (kind: string, v: string): string | undefined => {
  if (v === '') return `The tag ${kind} cannot be an empty string.`;
  if (/^(aliyun|acs:)/i.test(v)) return `The tag ${kind} cannot start with aliyun or acs:.`;
  if (/https?:\/\//i.test(v)) return `The tag ${kind} cannot contain http:// or https://.`;
  return undefined;
};

function tagFilter(params: Record<string, string>): Array<{ Key: string; Value?: string }> {
  const tags: Array<{ Key: string; Value?: string }> = [];
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
    const keyProblem = TAG_KEY_RULES('key', key);
    if (keyProblem) throw invalidParameter(`Tag.${n}.Key: ${keyProblem}`);
    if (value !== undefined) {
      const valueProblem = TAG_KEY_RULES('value', value);
      if (valueProblem) throw invalidParameter(`Tag.${n}.Value: ${valueProblem}`);
    }
    tags.push({ Key: key, ...(value !== undefined ? { Value: value } : {}) });
  }
  // The SDKs may also send the Tag list as JSON.
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
      const problem = TAG_KEY_RULES('key', t.Key);
      if (problem) throw invalidParameter(problem);
      tags.push({ Key: t.Key, ...(typeof t.Value === 'string' ? { Value: t.Value } : {}) });
    }
  }
  return tags;
}

/** The documented response view of a client (001): every field, ProxyPassword masked. */
export function clientView(state: HbrState, c: ClientRecord): Record<string, unknown> {
  return {
    Status: c.Status,
    BackupStatus: c.BackupStatus,
    ArchType: c.ArchType,
    ClientId: c.ClientId,
    MaxClientVersion: state.data.maxClientVersion,
    PrivateIpV4: c.PrivateIpV4,
    InstanceName: c.InstanceName,
    CreatedTime: c.CreatedTime,
    LastHeartBeatTime: c.LastHeartBeatTime,
    ClientType: c.ClientType,
    Hostname: c.Hostname,
    InstanceId: c.InstanceId,
    Appliance: c.Appliance,
    UpdatedTime: c.UpdatedTime,
    OsType: c.OsType,
    ZoneId: c.ZoneId,
    ClientVersion: c.ClientVersion,
    Tags: c.Tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    Settings: { ...c.Settings, ProxyPassword: c.Settings.ProxyPassword ? '******' : '' },
  };
}

/** 001 DescribeBackupClients. */
export function describeBackupClients(ctx: ActionContext): ActionReply {
  const p = ctx.params;
  const clientType = p.ClientType;
  if (clientType === undefined || clientType === '') throw missing('ClientType');
  if (clientType !== 'ECS_CLIENT' && clientType !== 'CONTAINER_CLIENT') {
    throw invalidParameter(`ClientType must be ECS_CLIENT or CONTAINER_CLIENT, got ${JSON.stringify(clientType)}.`);
  }
  const pageNumber = int('PageNumber', p.PageNumber, 1, 2 ** 31 - 1, 1);
  const pageSize = int('PageSize', p.PageSize, 1, 99, 10);
  const clientIds = listParam(p, 'ClientIds');
  const instanceIds = listParam(p, 'InstanceIds');
  const tags = tagFilter(p);
  const account = crossAccount(p);

  const matches = ctx.state.data.clients
    .filter((c) => c.ClientType === clientType)
    // Clients are installed with the caller's own account (CreateClients has no cross-account parameters).
    .filter(() => account.type === 'SELF_ACCOUNT')
    .filter((c) => p.ClusterId === undefined || p.ClusterId === '' || c.ClusterId === p.ClusterId)
    .filter((c) => clientIds === undefined || clientIds.length === 0 || clientIds.includes(c.ClientId))
    .filter((c) => instanceIds === undefined || instanceIds.length === 0 || instanceIds.includes(c.InstanceId))
    // In creation order (the state keeps clients in the order they were created).
    .filter((c) => tags.every((t) => c.Tags.some((ct) => ct.Key === t.Key && (t.Value === undefined || ct.Value === t.Value))));
  const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return ok(ctx, {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: matches.length,
    Clients: page.map((c) => clientView(ctx.state, c)),
  });
}

/** Statuses from which an upgrade can start. */
const UPGRADABLE = new Set(['ACTIVATED', 'UPGRADE_FAILED']);

/** 002 UpgradeBackupClients. */
export function upgradeBackupClients(ctx: ActionContext): ActionReply {
  const p = ctx.params;
  const { state } = ctx;
  const instanceIds = listParam(p, 'InstanceIds') ?? [];
  const clientIds = listParam(p, 'ClientIds') ?? [];
  // Both are marked required, and "The total number of ECS instance IDs and Cloud Backup client IDs
  // cannot exceed 100": either list may carry the targets, so at least one of them must.
  if (instanceIds.length === 0 && clientIds.length === 0) {
    throw new RpcError(400, 'MissingInstanceIds', 'InstanceIds or ClientIds is mandatory for this action.');
  }
  if (instanceIds.length + clientIds.length > 100) {
    throw invalidParameter(`The total number of ECS instance IDs and client IDs cannot exceed 100, got ${instanceIds.length + clientIds.length}.`);
  }
  const account = crossAccount(p);
  if (account.type === 'CROSS_ACCOUNT') {
    throw invalidParameter('No client of a cross-account backup exists in this emulator; use SELF_ACCOUNT.');
  }

  // Targets: one entry per distinct instance, from either list.
  const byInstance = new Map<string, ClientRecord | undefined>();
  for (const id of clientIds) {
    const c = state.client(id);
    if (!c || c.ClientType !== 'ECS_CLIENT') throw invalidParameter(`The client ${id} does not exist.`);
    byInstance.set(c.InstanceId, c);
  }
  for (const id of instanceIds) {
    if (byInstance.has(id)) continue;
    const instance = state.instance(id);
    const c = instance ? state.clientsOn(id).find((x) => x.ClientType === 'ECS_CLIENT') : undefined;
    if (instance && !c) throw invalidParameter(`No HBR client is installed on the instance ${id}; install one with CreateClients.`);
    byInstance.set(id, c);
  }
  const statuses = [...byInstance.keys()].map((instanceId) => {
    const code = instanceProblem(state.instance(instanceId));
    return { ValidInstance: code === undefined, InstanceId: instanceId, ErrorCode: code ?? '' };
  });
  if (statuses.length === 1 && !statuses[0].ValidInstance) {
    throw singleInstanceError(statuses[0].InstanceId, statuses[0].ErrorCode as InstanceErrorCode, statuses);
  }
  const valid = statuses.filter((s) => s.ValidInstance).map((s) => byInstance.get(s.InstanceId)!);
  for (const c of valid) {
    if (!UPGRADABLE.has(c.Status)) {
      throw new RpcError(400, 'InvalidParameter', `The client ${c.ClientId} on ${c.InstanceId} is ${c.Status}; only ACTIVATED or UPGRADE_FAILED clients can be upgraded.`);
    }
  }
  let taskId: string | undefined;
  if (valid.length > 0) {
    const task = newTask(ctx, 'UpgradeBackupClientsTask');
    taskId = task.TaskId;
    for (const c of valid) startTransition(ctx, c, task, 'upgrade', state.instance(c.InstanceId)!);
  }
  return ok(ctx, { ...(taskId ? { TaskId: taskId } : {}), InstanceStatuses: statuses });
}

/** The DescribeTask view of a job. */
export function taskView(task: TaskRecord, now: number): Record<string, unknown> {
  const done = task.completedAt !== undefined;
  const finished = task.items.filter((i) => i.result !== undefined).length;
  const failed = task.items.filter((i) => i.result !== undefined && i.result !== 'ACTIVATED');
  const expired = task.items.some((i) => i.expired);
  let progress: number;
  if (!done) progress = task.items.length === 0 ? 0 : Math.min(99, Math.floor((finished / task.items.length) * 100));
  else progress = failed.length === task.items.length && task.items.length > 0 ? -1 : 100;
  return {
    TaskId: task.TaskId,
    Name: task.Name,
    Description: !done ? 'created' : expired ? 'expired' : 'completed',
    Progress: progress,
    Result: JSON.stringify({
      instances: task.items.map((i) => ({ instanceId: i.instanceId, clientId: i.clientId, status: i.result ?? 'RUNNING' })),
    }),
    CreatedTime: seconds(task.createdAt),
    UpdatedTime: seconds(done ? task.completedAt! : now),
    ...(done ? { CompletedTime: seconds(task.completedAt!) } : {}),
  };
}

/** DescribeTask. */
export function describeTask(ctx: ActionContext): ActionReply {
  const id = ctx.params.TaskId;
  if (id === undefined || id === '') throw missing('TaskId');
  const task = ctx.state.task(id);
  if (!task) throw new RpcError(400, 'TaskNotExist', `The task ${id} does not exist.`);
  return ok(ctx, taskView(task, ctx.now));
}

export const ACTIONS: Record<string, (ctx: ActionContext) => ActionReply> = {
  CreateClients: createClients,
  DescribeBackupClients: describeBackupClients,
  UpgradeBackupClients: upgradeBackupClients,
  DescribeTask: describeTask,
};

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
