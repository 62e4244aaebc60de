import { randomUUID } from 'node:crypto';
import {
  ClientRecord, HbrState, newClientRecord, PendingTransition, randomId, SimulatedInstance, TaskRecord,
} from './state';
import type { InstanceErrorCode } from '../../api/hbr/actions';
import { invalidParameter, RpcError } from '../../api/hbr/errors';
import { decodeCreateClients, decodeDescribeBackupClients, decodeDescribeTask, decodeUpgradeBackupClients } from '../../api/hbr/requests';

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

function ok(ctx: ActionContext, fields: Record<string, unknown>): ActionReply {
  return { status: 200, body: { Code: '200', Message: 'successful', RequestId: ctx.requestId, Success: true, ...fields } };
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

/** 000 CreateClients. */
export function createClients(ctx: ActionContext): ActionReply {
  const { state } = ctx;
  const p = decodeCreateClients(ctx.params);
  const vaultId = p.VaultId;
  if (state.data.vaults.length > 0 && !state.data.vaults.includes(vaultId)) {
    throw new RpcError(400, 'InvalidVaultId', `The backup vault ${vaultId} does not exist.`);
  }
  const useHttps = p.UseHttps ?? false;
  const items = p.ClientInfo;

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
      client.ClusterId = item.clusterId ?? '';
      client.SourceTypes = [...(item.sourceTypes ?? [])];
      client.AccessKeyId = item.accessKeyId ?? '';
      client.AlertSetting = p.AlertSetting ?? '';
      client.ResourceGroupId = p.ResourceGroupId ?? '';
      client.Settings.UseHttps = String(useHttps);
      startTransition(ctx, client, task, 'install', instance);
    }
  }
  return ok(ctx, { ...(taskId ? { TaskId: taskId } : {}), InstanceStatuses: { InstanceStatus: statuses } });
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
  const p = decodeDescribeBackupClients(ctx.params);
  const { ClientType: clientType, PageNumber: pageNumber, PageSize: pageSize, ClientIds: clientIds, InstanceIds: instanceIds } = p;
  const tags = p.Tag ?? [];

  const matches = ctx.state.data.clients
    .filter((c) => c.ClientType === clientType)
    // Clients are installed with the caller's own account (CreateClients has no cross-account parameters).
    .filter(() => p.CrossAccountType === 'SELF_ACCOUNT')
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
  const { state } = ctx;
  const { InstanceIds: instanceIds, ClientIds: clientIds, CrossAccountType: accountType } = decodeUpgradeBackupClients(ctx.params);
  if (accountType === 'CROSS_ACCOUNT') {
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
  const id = decodeDescribeTask(ctx.params).TaskId;
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
