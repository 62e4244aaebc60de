import { HookContext, HookError } from './context';
import { deleteVerdict, isExpression, ownDeclaration } from './declared';
import { FieldChange } from './diff';
import {
  BackupClient, CreateClientsResponse, DescribeTaskResponse, InstanceErrorCode, InstanceStatus, instanceStatusList,
} from '../../api/hbr/actions';
import type { ClientInfoEntry } from '../../api/hbr/requests';
import { BackupClientSpec } from '../../contract/specs';
import { ApiError } from '../errors';
import { formatDuration, HbrClient, isTaskFailed, TaskTimeoutError } from '../hbr/client';
import { compareVersions } from '../hbr/versions';

/**
 * The `client` kind: HBR backup clients on ECS instances (000 CreateClients, 001
 * DescribeBackupClients, 002 UpgradeBackupClients, DescribeTask).
 *
 * apply = describe the clients of the declared instances; install where none is usable; upgrade
 * where the version policy asks for it and ClientVersion < MaxClientVersion; wait for the jobs;
 * describe again and report per instance. Instances that cannot take a client fail the hook with
 * the documented ErrorCode of each.
 *
 * delete = nothing to call: the documents give no uninstall operation, so removing the construct
 * (or destroying the stack) leaves the clients installed and says so.
 */

type Env = Record<string, string | undefined>;

/** Statuses after which CreateClients is the way to a working client. */
const INSTALLABLE = new Set(['NOT_INSTALLED', 'INSTALL_FAILED', 'DEACTIVATED']);
/** Statuses that change by themselves: wait for them to settle before deciding. */
const TRANSITIONAL = new Set(['INSTALLING', 'UPGRADING', 'UNINSTALLING', 'REGISTERED']);
/** Statuses no documented call repairs. */
const BROKEN: Readonly<Record<string, string>> = {
  UNINSTALL_FAILED: 'the client failed to uninstall; finish or retry the uninstallation in the HBR console, then apply again',
  STOPPED: 'the client is out of service; start it on the instance (or reinstall it in the HBR console), then apply again',
  UNKNOWN: 'the client is disconnected; check that the instance is running and can reach HBR, then apply again',
};

/** UpgradeBackupClients: "The total number of ECS instance IDs and Cloud Backup client IDs cannot exceed 100." */
const UPGRADE_BATCH = 50;

export interface InstanceLive {
  readonly client_id: string;
  readonly status: string;
  readonly client_version: string;
  readonly max_client_version: string;
  readonly backup_status: string;
  /** Settings.UseHttps as a boolean; undefined when not returned. */
  readonly use_https?: boolean;
}

/** What `read` returns: the live client of each declared instance, and the instances without one. */
export interface ClientLive {
  readonly instances: Record<string, InstanceLive>;
  readonly missing: string[];
}

/** Several clients can be listed for one instance (an old failed one and a new one): prefer the usable, then the newest. */
function pick(clients: readonly BackupClient[]): BackupClient | undefined {
  const rank = (c: BackupClient) => (c.Status === 'ACTIVATED' ? 3 : TRANSITIONAL.has(c.Status ?? '') ? 2 : c.Status === 'UPGRADE_FAILED' ? 1 : 0);
  return [...clients].sort((a, b) => rank(b) - rank(a) || (b.UpdatedTime ?? 0) - (a.UpdatedTime ?? 0))[0];
}

async function describeByInstance(client: HbrClient, instanceIds: readonly string[]): Promise<Map<string, BackupClient>> {
  const all = instanceIds.length === 0 ? [] : await client.listAllBackupClients({ ClientType: 'ECS_CLIENT', InstanceIds: instanceIds });
  const wanted = new Set(instanceIds);
  const grouped = new Map<string, BackupClient[]>();
  for (const c of all) {
    if (!c.InstanceId || !wanted.has(c.InstanceId)) continue;
    grouped.set(c.InstanceId, [...(grouped.get(c.InstanceId) ?? []), c]);
  }
  const out = new Map<string, BackupClient>();
  for (const [id, candidates] of grouped) {
    const chosen = pick(candidates);
    if (chosen) out.set(id, chosen);
  }
  return out;
}

function isOutdated(c: BackupClient): boolean {
  return Boolean(c.ClientVersion && c.MaxClientVersion && compareVersions(c.ClientVersion, c.MaxClientVersion) < 0);
}

function toLive(c: BackupClient): InstanceLive {
  const https = c.Settings?.UseHttps;
  return {
    client_id: c.ClientId,
    status: c.Status ?? 'UNKNOWN',
    client_version: c.ClientVersion ?? '',
    max_client_version: c.MaxClientVersion ?? '',
    backup_status: c.BackupStatus ?? '',
    ...(https === undefined ? {} : { use_https: String(https).toLowerCase() === 'true' }),
  };
}

export async function readBackupClient(client: HbrClient, spec: BackupClientSpec): Promise<ClientLive | undefined> {
  const found = await describeByInstance(client, spec.instance_ids);
  if (found.size === 0) return undefined;
  const instances: Record<string, InstanceLive> = {};
  const missing: string[] = [];
  for (const id of spec.instance_ids) {
    const c = found.get(id);
    if (c) instances[id] = toLive(c);
    else missing.push(id);
  }
  return { instances, missing };
}

/** Drift per instance: a missing or unusable client, an outdated version (when the policy upgrades), UseHttps. */
export function diffBackupClient(spec: BackupClientSpec, live: ClientLive): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const id of spec.instance_ids) {
    const c = live.instances[id];
    if (!c) {
      changes.push({ field: `${id}.status`, desired: 'ACTIVATED', live: '(no client)', updatable: true });
      continue;
    }
    if (c.status !== 'ACTIVATED') changes.push({ field: `${id}.status`, desired: 'ACTIVATED', live: c.status, updatable: true });
    if (spec.version_policy === 'upgrade_to_latest' && c.client_version && c.max_client_version &&
      compareVersions(c.client_version, c.max_client_version) < 0) {
      changes.push({ field: `${id}.client_version`, desired: c.max_client_version, live: c.client_version, updatable: true });
    }
    // UseHttps is chosen at installation (CreateClients); no documented call changes it afterwards.
    if (c.use_https !== undefined && c.use_https !== spec.use_https) {
      changes.push({ field: `${id}.use_https`, desired: spec.use_https, live: c.use_https, updatable: false });
    }
  }
  return changes;
}

function envValue(env: Env, name: string, field: string): string {
  if (!name) return '';
  const v = env[name];
  if (v === undefined || v === '') {
    throw new HookError(`the environment variable ${name} (named by ${field}) is not set: set it in the environment of terraform apply, ` +
      `or remove ${field} from the construct to send an empty ${field === 'accessKeyIdEnv' ? 'accessKeyId' : 'accessKeySecret'}`);
  }
  return v;
}

function clientInfo(spec: BackupClientSpec, instanceIds: readonly string[], env: Env): ClientInfoEntry[] {
  const accessKeyId = envValue(env, spec.access_key_id_env, 'accessKeyIdEnv');
  const accessKeySecret = envValue(env, spec.access_key_secret_env, 'accessKeySecretEnv');
  return instanceIds.map((instanceId) => ({
    instanceId,
    accessKeyId,
    accessKeySecret,
    ...(spec.cluster_id ? { clusterId: spec.cluster_id } : {}),
    ...(spec.source_types.length > 0 ? { sourceTypes: [...spec.source_types] } : {}),
  }));
}

/** What the user should do about each documented per-instance ErrorCode (002). */
const INSTANCE_ERROR_ADVICE: Readonly<Record<InstanceErrorCode, string>> = {
  InstanceNotExists: 'the ECS instance does not exist: check the instance id and the region',
  InstanceNotRunning: 'the ECS instance is not running: start it, then apply again',
  CloudAssistNotRunningOnInstance: 'Cloud Assistant is unavailable on the instance: install or start the Cloud Assistant agent, then apply again',
};

function adviceFor(code: string | undefined): string | undefined {
  return code && Object.hasOwn(INSTANCE_ERROR_ADVICE, code) ? INSTANCE_ERROR_ADVICE[code as InstanceErrorCode] : undefined;
}

interface Failure {
  readonly instanceId: string;
  readonly reason: string;
}

function instanceFailure(instanceId: string, code: string | undefined): Failure {
  const advice = adviceFor(code);
  if (advice) return { instanceId, reason: `${code} (${advice})` };
  return { instanceId, reason: code ? `${code} (the instance cannot take an HBR client)` : 'ValidInstance is false and no ErrorCode was returned (the instance cannot take an HBR client)' };
}

/** Splits InstanceStatuses into the instances that were rejected; the others are in the job. */
function rejected(sent: readonly string[], statuses: InstanceStatus[]): Failure[] {
  return statuses
    .filter((s) => s.ValidInstance === false && s.InstanceId && sent.includes(s.InstanceId))
    .map((s) => instanceFailure(s.InstanceId!, s.ErrorCode || undefined));
}

/**
 * Runs one CreateClients or UpgradeBackupClients call. The documents return per-instance verdicts in
 * InstanceStatuses when several instances are sent; with one instance the call itself fails with the
 * ErrorCode, which is attributed to that instance.
 */
async function startJob(sent: readonly string[], call: () => Promise<Pick<CreateClientsResponse, 'TaskId' | 'InstanceStatuses'>>):
Promise<{ taskId?: string; failures: Failure[] }> {
  try {
    const res = await call();
    return { taskId: res.TaskId || undefined, failures: rejected(sent, instanceStatusList(res.InstanceStatuses)) };
  } catch (err) {
    if (err instanceof ApiError && adviceFor(err.errorCode)) {
      return { failures: sent.map((id) => instanceFailure(id, err.errorCode)) };
    }
    throw err;
  }
}

interface JobOutcome {
  readonly task?: DescribeTaskResponse;
  readonly timedOut?: TaskTimeoutError;
}

async function waitJob(client: HbrClient, taskId: string | undefined): Promise<JobOutcome> {
  if (!taskId) return {};
  try {
    return { task: await client.waitForTask(taskId) };
  } catch (err) {
    if (err instanceof TaskTimeoutError) return { timedOut: err };
    throw err;
  }
}

/** Waits (within the task timeout) until no declared instance has a client in a transitional status. */
async function settle(client: HbrClient, instanceIds: readonly string[]): Promise<Map<string, BackupClient>> {
  const deadline = client.clock() + client.config.taskTimeoutMs;
  for (;;) {
    const found = await describeByInstance(client, instanceIds);
    const busy = [...found.values()].filter((c) => TRANSITIONAL.has(c.Status ?? ''));
    if (busy.length === 0 || client.clock() >= deadline) return found;
    await client.pause(Math.min(client.config.taskPollMs, Math.max(1, deadline - client.clock())));
  }
}

function list(ids: readonly string[]): string {
  return ids.join(', ');
}

/**
 * `env` is the hook's environment, for the variables the spec names (accessKeyIdEnv,
 * accessKeySecretEnv): names chosen by users, so no schema lists them.
 */
export async function applyBackupClient(client: HbrClient, spec: BackupClientSpec, ctx: HookContext, env: Env): Promise<void> {
  const ids = spec.instance_ids;
  if (ids.length === 0) {
    ctx.report(`client ${ctx.key}: no instances declared`);
    return;
  }
  const before = await settle(client, ids);

  const failures: Failure[] = [];
  const toInstall: string[] = [];
  const toUpgrade: BackupClient[] = [];
  const unchanged: string[] = [];
  const kept: string[] = [];
  for (const id of ids) {
    const c = before.get(id);
    const status = c?.Status ?? '';
    if (!c || INSTALLABLE.has(status)) {
      toInstall.push(id);
    } else if (BROKEN[status]) {
      failures.push({ instanceId: id, reason: `client ${c.ClientId} is ${status} (${BROKEN[status]})` });
    } else if (TRANSITIONAL.has(status)) {
      failures.push({ instanceId: id, reason: `client ${c.ClientId} is still ${status} after ${formatDuration(client.config.taskTimeoutMs)}; apply again later` });
    } else if (spec.version_policy === 'upgrade_to_latest' && (status === 'UPGRADE_FAILED' || isOutdated(c))) {
      toUpgrade.push(c);
    } else if (isOutdated(c) || status === 'UPGRADE_FAILED') {
      kept.push(`${id} at ${c.ClientVersion}${status === 'UPGRADE_FAILED' ? ' (UPGRADE_FAILED)' : ''} (${c.MaxClientVersion} available; versionPolicy KEEP_INSTALLED)`);
    } else {
      unchanged.push(id);
    }
  }

  // Start every job first, then wait for them together.
  const jobs: Array<Promise<JobOutcome>> = [];
  if (toInstall.length > 0) {
    const entries = clientInfo(spec, toInstall, env);
    const { taskId, failures: f } = await startJob(toInstall, () => client.createClients({
      VaultId: spec.vault_id,
      ClientInfo: entries,
      UseHttps: spec.use_https,
      ...(spec.alert_setting ? { AlertSetting: spec.alert_setting } : {}),
      ...(spec.resource_group_id ? { ResourceGroupId: spec.resource_group_id } : {}),
    }));
    failures.push(...f);
    jobs.push(waitJob(client, taskId));
  }
  for (let i = 0; i < toUpgrade.length; i += UPGRADE_BATCH) {
    const batch = toUpgrade.slice(i, i + UPGRADE_BATCH);
    const sent = batch.map((c) => c.InstanceId!);
    // Both lists are documented as required; they name the same clients.
    const { taskId, failures: f } = await startJob(sent, () => client.upgradeBackupClients({
      InstanceIds: sent,
      ClientIds: batch.map((c) => c.ClientId),
    }));
    failures.push(...f);
    jobs.push(waitJob(client, taskId));
  }
  const outcomes = await Promise.all(jobs);
  const timedOut = outcomes.map((o) => o.timedOut).filter((t): t is TaskTimeoutError => t !== undefined);
  const failedTasks = outcomes.map((o) => o.task).filter((t): t is DescribeTaskResponse => t !== undefined && isTaskFailed(t));

  // The jobs' verdict per instance is the clients' status afterwards.
  const rejectedIds = new Set(failures.map((f) => f.instanceId));
  const after = jobs.length > 0 ? await describeByInstance(client, ids) : before;
  const installed: string[] = [];
  const upgraded: string[] = [];
  const jobNote = timedOut.length > 0
    ? `; job ${timedOut.map((t) => t.taskId).join(', ')} did not finish within ${formatDuration(client.config.taskTimeoutMs)}`
    : failedTasks.length > 0 ? `; job ${failedTasks.map((t) => `${t.TaskId ?? '?'} ${t.Description ?? ''}`.trim()).join(', ')}` : '';
  for (const id of toInstall) {
    if (rejectedIds.has(id)) continue;
    const c = after.get(id);
    if (c?.Status === 'ACTIVATED') installed.push(id);
    else failures.push({ instanceId: id, reason: `installation ended ${c ? `with client ${c.ClientId} ${c.Status}` : 'without a client'}${jobNote}` });
  }
  for (const old of toUpgrade) {
    const id = old.InstanceId!;
    if (rejectedIds.has(id)) continue;
    const c = after.get(id);
    if (c?.Status === 'ACTIVATED' && !isOutdated(c)) upgraded.push(`${id} ${old.ClientVersion ?? '?'} -> ${c.ClientVersion ?? '?'}`);
    else failures.push({ instanceId: id, reason: `upgrade ended ${c ? `with client ${c.ClientId} ${c.Status} at ${c.ClientVersion ?? '?'}` : 'without a client'}${jobNote}` });
  }

  const parts: string[] = [];
  if (installed.length > 0) parts.push(`installed on ${list(installed)}`);
  if (upgraded.length > 0) parts.push(`upgraded ${list(upgraded)}`);
  if (kept.length > 0) parts.push(`kept ${list(kept)}`);
  if (unchanged.length > 0) parts.push(`unchanged ${list(unchanged)}`);
  if (failures.length > 0) parts.push(`failed ${list([...new Set(failures.map((f) => f.instanceId))])}`);
  (parts.length === 1 && unchanged.length > 0 ? ctx.unchanged : ctx.report)(`client ${ctx.key}: ${parts.join('; ')}`);

  if (failures.length > 0) {
    const n = new Set(failures.map((f) => f.instanceId)).size;
    throw new HookError(`the HBR client is not working on ${n} of ${ids.length} instance${ids.length === 1 ? '' : 's'}: ` +
      `${failures.map((f) => `${f.instanceId}: ${f.reason}`).join('; ')}. The other instances are done; fix these and apply again.`);
  }
}

/**
 * Calls nothing: HBR documents no uninstall call. It says which clients stay installed that nothing
 * declares any more: all of the entry's on removal or destroy; on a replacement (the table replaces
 * delete-first, so this runs before the new spec's apply hook) those on instances the new spec drops;
 * nothing when `terraform apply -replace` re-runs the entry as it is.
 */
export async function deleteBackupClient(spec: BackupClientSpec, ctx: HookContext): Promise<void> {
  const verdict = deleteVerdict(ctx, 'client', spec, false);
  const why = '(HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)';
  if (verdict.keep === 'requested') return;
  if (verdict.keep !== 'replaced') {
    ctx.report(`client ${ctx.key}: left installed on ${list(spec.instance_ids) || 'no instances'} ${why}`);
    return;
  }
  const ids: unknown = (ownDeclaration(ctx, 'client', spec) as BackupClientSpec).instance_ids;
  if (!Array.isArray(ids) || ids.some(isExpression)) {
    ctx.report(`client ${ctx.key}: replaced; instances the new spec no longer declares keep their clients ${why}`);
    return;
  }
  const dropped = spec.instance_ids.filter((id) => !ids.includes(id));
  if (dropped.length > 0) ctx.report(`client ${ctx.key}: left installed on ${list(dropped)}, no longer declared ${why}`);
}
