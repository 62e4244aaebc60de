import { randomUUID } from 'node:crypto';
import { apiTimestamp, RequestContext, Route } from './context';
import type { OperationLogRecord, VaultRecord } from './store';
import { TASK_OPERATION_TYPES, TASK_STATUSES, TaskOperationType } from '../api/cbr/catalog';
import type { OperationLog } from '../api/cbr/tasks';
import { ApiError, CBR_ERRORS, invalidParameter } from '../api/errors';
import { queryEnum, queryInteger } from '../api/table';

/**
 * Tasks / operation logs (4.1). Of the operations the emulator serves, two are task types of
 * Table 4-4: remove_resource (4.5.6, "Dissociating resources from a vault and deleting the backups
 * of the resources") and vault_delete (4.5.5, "all backups in the vault are cleared"). Their APIs
 * answer at once (200 / 204); the task that deletes the backups runs behind them. The emulator keeps
 * no backups, so each task has nothing to do and is recorded as finished: status success,
 * progress 100, started and ended when the request was served.
 */

/** Records a finished task for `vault`; `extra` holds the type's OpExtendInfo* object. */
export function recordOperation(
  ctx: RequestContext, vault: VaultRecord, operationType: TaskOperationType, extra: Record<string, unknown>,
): void {
  const at = apiTimestamp(ctx.now);
  const log: OperationLogRecord = {
    id: randomUUID(),
    project_id: vault.project_id,
    operation_type: operationType,
    status: 'success',
    checkpoint_id: '',
    created_at: at,
    started_at: at,
    ended_at: at,
    updated_at: at,
    error_info: { code: '', message: '' },
    extra_info: { ...extra, common: { progress: 100, request_id: ctx.requestId, task_id: '' } },
    policy_id: '',
    provider_id: vault.provider_id,
    vault_id: vault.id,
    vault_name: vault.name,
    enterprise_project_id: vault.enterprise_project_id,
  };
  ctx.store.data.operation_logs.push(log);
}

/** Table 4-4 OperationLog, in table order. */
function view(log: OperationLogRecord): OperationLog {
  return JSON.parse(JSON.stringify({
    checkpoint_id: log.checkpoint_id,
    created_at: log.created_at,
    ended_at: log.ended_at,
    error_info: log.error_info,
    extra_info: log.extra_info,
    id: log.id,
    operation_type: log.operation_type,
    policy_id: log.policy_id,
    project_id: log.project_id,
    provider_id: log.provider_id,
    started_at: log.started_at,
    status: log.status,
    updated_at: log.updated_at,
    vault_id: log.vault_id,
    vault_name: log.vault_name,
  }));
}

/** 4.1.1; 404 BackupService.6500 as the document's example shows. */
function showLog(ctx: RequestContext) {
  const log = ctx.store.data.operation_logs.find((l) => l.id === ctx.params.operation_log_id && l.project_id === ctx.params.project_id);
  if (!log) throw new ApiError(CBR_ERRORS.OPERATION_LOG_NOT_FOUND, `No task has the id ${JSON.stringify(ctx.params.operation_log_id)}.`);
  return { status: 200, body: { operation_log: view(log) } };
}

/** `%YYYY-%mm-%ddT%HH:%MM:%SSZ`, e.g. 2018-02-01T12:00:00Z (Table 4-19). */
function queryTime(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw invalidParameter(`query parameter ${name} must be a time like 2018-02-01T12:00:00Z; got ${JSON.stringify(raw)}.`);
  return ms;
}

function resourcesOf(log: OperationLogRecord): Array<{ id: string; name: string }> {
  const extra = log.extra_info as { resource?: { id: string; name: string }; remove_resources?: { resources: Array<{ id: string; name: string }> } };
  return [...(extra.resource ? [extra.resource] : []), ...(extra.remove_resources?.resources ?? [])];
}

/**
 * 4.1.2 with the filters of Table 4-19, newest first. Table 4-19 says offset has "Minimum: 1" while
 * the response table gives "Minimum: 0 Default: 0"; 0 is accepted, as the response table has it.
 * start_time / end_time bound the task's start and end.
 */
function listLogs(ctx: RequestContext) {
  const q = ctx.query;
  const limit = queryInteger(q, 'limit', 1, 1000) ?? 1000;
  const offset = queryInteger(q, 'offset', 0) ?? 0;
  const operationType = queryEnum(q, 'operation_type', TASK_OPERATION_TYPES);
  const status = queryEnum(q, 'status', TASK_STATUSES);
  const start = queryTime(q, 'start_time');
  const end = queryTime(q, 'end_time');
  const eps = q.get('enterprise_project_id');
  const str = (name: string) => q.get(name);
  const matching = ctx.store.data.operation_logs.filter((l) =>
    l.project_id === ctx.params.project_id
    && (operationType === undefined || l.operation_type === operationType)
    && (status === undefined || l.status === status)
    && (start === undefined || Date.parse(l.started_at) >= start)
    && (end === undefined || Date.parse(l.ended_at) <= end)
    && (eps === null || eps === 'all_granted_eps' || l.enterprise_project_id === eps)
    && (str('provider_id') === null || l.provider_id === str('provider_id'))
    && (str('vault_id') === null || l.vault_id === str('vault_id'))
    && (str('vault_name') === null || l.vault_name === str('vault_name'))
    && (str('resource_id') === null || resourcesOf(l).some((r) => r.id === str('resource_id')))
    && (str('resource_name') === null || resourcesOf(l).some((r) => r.name === str('resource_name')))).reverse();
  return {
    status: 200,
    body: { operation_logs: matching.slice(offset, offset + limit).map(view), count: matching.length, limit, offset },
  };
}

export const operationLogRoutes: Route[] = [
  { method: 'GET', pattern: '/v3/{project_id}/operation-logs', auth: 'cbr', hasBody: false, handle: listLogs },
  { method: 'GET', pattern: '/v3/{project_id}/operation-logs/{operation_log_id}', auth: 'cbr', hasBody: false, handle: showLog },
];
