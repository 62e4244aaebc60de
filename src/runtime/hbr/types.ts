/**
 * Request and response shapes of the HBR (Hybrid Backup Recovery, API version 2017-09-08) calls the
 * hooks use, with the field names of the source documents: 000 CreateClients, 001
 * DescribeBackupClients, 002 UpgradeBackupClients, plus DescribeTask (the job query they refer to).
 */

export const HBR_API_VERSION = '2017-09-08';

/** Fields every HBR response carries. */
export interface HbrResponseBase {
  readonly RequestId?: string;
  readonly Success?: boolean;
  /** "The HTTP status code. The status code 200 indicates that the call is successful." */
  readonly Code?: string;
  readonly Message?: string;
}

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

/** The documented per-instance verdict; ErrorCode is documented for UpgradeBackupClients (002). */
export interface InstanceStatus {
  readonly ValidInstance?: boolean;
  readonly InstanceId?: string;
  /** Empty on success; InstanceNotExists, InstanceNotRunning or CloudAssistNotRunningOnInstance. */
  readonly ErrorCode?: string;
}

export interface CreateClientsResponse extends HbrResponseBase {
  readonly TaskId?: string;
  /** 000's example wraps the list: `{ "InstanceStatus": [ ... ] }`. */
  readonly InstanceStatuses?: { readonly InstanceStatus?: readonly InstanceStatus[] } | readonly InstanceStatus[];
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
  readonly CrossAccountUserId?: number;
  readonly CrossAccountRoleName?: string;
}

/** Status values documented for DescribeBackupClients (001). */
export const CLIENT_STATUSES = [
  'REGISTERED', 'ACTIVATED', 'DEACTIVATED', 'INSTALLING', 'INSTALL_FAILED', 'NOT_INSTALLED',
  'UPGRADING', 'UPGRADE_FAILED', 'UNINSTALLING', 'UNINSTALL_FAILED', 'STOPPED', 'UNKNOWN',
] as const;
export type ClientStatus = typeof CLIENT_STATUSES[number];

export interface ClientSettings {
  readonly ProxyHost?: string;
  readonly MaxCpuCore?: string;
  readonly ProxyPort?: number;
  readonly UseHttps?: string;
  readonly ProxyPassword?: string;
  readonly ProxyUser?: string;
  readonly DataProxySetting?: string;
  readonly DataNetworkType?: string;
  readonly MaxWorker?: string;
}

export interface BackupClient {
  readonly Status?: ClientStatus | string;
  readonly BackupStatus?: 'UNPROTECTED' | 'PROTECTED' | string;
  readonly ArchType?: string;
  readonly ClientId: string;
  readonly MaxClientVersion?: string;
  readonly PrivateIpV4?: string;
  readonly InstanceName?: string;
  readonly CreatedTime?: number;
  readonly LastHeartBeatTime?: number;
  readonly ClientType?: string;
  readonly Hostname?: string;
  readonly InstanceId?: string;
  readonly Appliance?: boolean;
  readonly UpdatedTime?: number;
  readonly OsType?: string;
  readonly ZoneId?: string;
  readonly ClientVersion?: string;
  readonly Tags?: ReadonlyArray<{ readonly Key?: string; readonly Value?: string }>;
  readonly Settings?: ClientSettings;
}

export interface DescribeBackupClientsResponse extends HbrResponseBase {
  readonly PageNumber?: number;
  readonly PageSize?: number;
  readonly TotalCount?: number;
  /** 001's example is a plain array; its table shows `{'Client': []}`, so both are read. */
  readonly Clients?: readonly BackupClient[] | { readonly Client?: readonly BackupClient[] };
}

export interface UpgradeBackupClientsRequest {
  readonly InstanceIds?: readonly string[];
  readonly ClientIds?: readonly string[];
  readonly CrossAccountType?: CrossAccountType;
  readonly CrossAccountUserId?: number;
  readonly CrossAccountRoleName?: string;
}

export interface UpgradeBackupClientsResponse extends HbrResponseBase {
  readonly TaskId?: string;
  readonly InstanceStatuses?: readonly InstanceStatus[] | { readonly InstanceStatus?: readonly InstanceStatus[] };
}

/** DescribeTask (HBR 2017-09-08): the asynchronous job that CreateClients and UpgradeBackupClients return. */
export interface DescribeTaskResponse extends HbrResponseBase {
  readonly TaskId?: string;
  readonly Name?: string;
  /** created, expired, completed or cancelled. */
  readonly Description?: string;
  /** 0 to 100; -1 when the job failed. */
  readonly Progress?: number;
  /** JSON text. */
  readonly Result?: string;
  readonly CreatedTime?: number;
  readonly UpdatedTime?: number;
  readonly CompletedTime?: number;
}

/** The ErrorCode values documented for InstanceStatuses (002), with what the user should do. */
export const INSTANCE_ERROR_CODES: Readonly<Record<string, string>> = {
  InstanceNotExists: 'the ECS instance does not exist: check the instance id and the region',
  InstanceNotRunning: 'the ECS instance is not running: start it, then apply again',
  CloudAssistNotRunningOnInstance: 'Cloud Assistant is unavailable on the instance: install or start the Cloud Assistant agent, then apply again',
};

/** The list inside InstanceStatuses, whichever of the two documented shapes the service used. */
export function instanceStatusList(value: CreateClientsResponse['InstanceStatuses']): InstanceStatus[] {
  if (!value) return [];
  if (Array.isArray(value)) return [...value];
  const inner = (value as { InstanceStatus?: readonly InstanceStatus[] }).InstanceStatus;
  return Array.isArray(inner) ? [...inner] : [];
}

/** The clients of a DescribeBackupClients page, whichever of the two documented shapes the service used. */
export function clientList(value: DescribeBackupClientsResponse['Clients']): BackupClient[] {
  if (!value) return [];
  if (Array.isArray(value)) return [...value];
  const inner = (value as { Client?: readonly BackupClient[] }).Client;
  return Array.isArray(inner) ? [...inner] : [];
}

/**
 * Compares dotted version strings numerically (2.10.0 > 2.9.5); a non-numeric part compares as text.
 * Returns <0, 0 or >0.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(/[.-]/);
  const pb = b.trim().split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
