import * as z from 'zod/mini';

/**
 * The HBR (Hybrid Backup Recovery, API version 2017-09-08) actions the hooks call, with the field
 * names of the source documents: 000 CreateClients, 001 DescribeBackupClients, 002
 * UpgradeBackupClients, plus DescribeTask (the job query they refer to). Requests are RPC
 * parameters; responses are read leniently: fields the client does not read may take any shape.
 */

export const HBR_API_VERSION = '2017-09-08';

/** Fields every HBR response carries. `Code` is "The HTTP status code" as text, "200" on success. */
const ResponseBase = {
  RequestId: z.optional(z.string()),
  Success: z.optional(z.boolean()),
  Code: z.optional(z.union([z.string(), z.number()])),
  Message: z.optional(z.string()),
};
export const HbrResponse = z.looseObject(ResponseBase);
export type HbrResponse = z.infer<typeof HbrResponse>;

/** The documented per-instance verdict; ErrorCode is documented for UpgradeBackupClients (002). */
const InstanceStatus = z.looseObject({
  ValidInstance: z.optional(z.boolean()),
  InstanceId: z.optional(z.string()),
  /** Empty on success; InstanceNotExists, InstanceNotRunning or CloudAssistNotRunningOnInstance. */
  ErrorCode: z.optional(z.string()),
});
export type InstanceStatus = z.infer<typeof InstanceStatus>;

/** 000's example wraps the list (`{ "InstanceStatus": [ ... ] }`); a plain list is read too. */
const InstanceStatuses = z.union([z.array(InstanceStatus), z.looseObject({ InstanceStatus: z.optional(z.array(InstanceStatus)) })]);

export const CreateClientsResponse = z.looseObject({
  ...ResponseBase, TaskId: z.optional(z.string()), InstanceStatuses: z.optional(InstanceStatuses),
});
export type CreateClientsResponse = z.infer<typeof CreateClientsResponse>;

/** A client of DescribeBackupClients (001); Settings are read as the service sends them. */
export const BackupClient = z.looseObject({
  Status: z.optional(z.string()),
  BackupStatus: z.optional(z.string()),
  ArchType: z.optional(z.string()),
  ClientId: z.string(),
  MaxClientVersion: z.optional(z.string()),
  PrivateIpV4: z.optional(z.string()),
  InstanceName: z.optional(z.string()),
  CreatedTime: z.optional(z.number()),
  LastHeartBeatTime: z.optional(z.number()),
  ClientType: z.optional(z.string()),
  Hostname: z.optional(z.string()),
  InstanceId: z.optional(z.string()),
  Appliance: z.optional(z.boolean()),
  UpdatedTime: z.optional(z.number()),
  OsType: z.optional(z.string()),
  ZoneId: z.optional(z.string()),
  ClientVersion: z.optional(z.string()),
  Tags: z.optional(z.array(z.looseObject({ Key: z.optional(z.string()), Value: z.optional(z.string()) }))),
  Settings: z.optional(z.looseObject({
    ProxyHost: z.optional(z.string()),
    MaxCpuCore: z.optional(z.string()),
    ProxyPort: z.optional(z.number()),
    UseHttps: z.optional(z.string()),
    ProxyPassword: z.optional(z.string()),
    ProxyUser: z.optional(z.string()),
    DataProxySetting: z.optional(z.string()),
    DataNetworkType: z.optional(z.string()),
    MaxWorker: z.optional(z.string()),
  })),
});
export type BackupClient = z.infer<typeof BackupClient>;

/** 001's example is a plain array; its table shows `{'Client': []}`, so both are read. */
export const DescribeBackupClientsResponse = z.looseObject({
  ...ResponseBase,
  PageNumber: z.optional(z.number()),
  PageSize: z.optional(z.number()),
  TotalCount: z.optional(z.number()),
  Clients: z.optional(z.union([z.array(BackupClient), z.looseObject({ Client: z.optional(z.array(BackupClient)) })])),
});
export type DescribeBackupClientsResponse = z.infer<typeof DescribeBackupClientsResponse>;

export const UpgradeBackupClientsResponse = z.looseObject({
  ...ResponseBase, TaskId: z.optional(z.string()), InstanceStatuses: z.optional(InstanceStatuses),
});
export type UpgradeBackupClientsResponse = z.infer<typeof UpgradeBackupClientsResponse>;

/** DescribeTask (HBR 2017-09-08): the asynchronous job that CreateClients and UpgradeBackupClients return. */
export const DescribeTaskResponse = z.looseObject({
  ...ResponseBase,
  TaskId: z.optional(z.string()),
  Name: z.optional(z.string()),
  /** created, expired, completed or cancelled. */
  Description: z.optional(z.string()),
  /** 0 to 100; -1 when the job failed. */
  Progress: z.optional(z.number()),
  /** JSON text. */
  Result: z.optional(z.string()),
  CreatedTime: z.optional(z.number()),
  UpdatedTime: z.optional(z.number()),
  CompletedTime: z.optional(z.number()),
});
export type DescribeTaskResponse = z.infer<typeof DescribeTaskResponse>;

/** The documented per-instance ErrorCode values (002). */
export const INSTANCE_ERROR_CODES = ['InstanceNotExists', 'InstanceNotRunning', 'CloudAssistNotRunningOnInstance'] as const;
export type InstanceErrorCode = typeof INSTANCE_ERROR_CODES[number];

/** The list inside InstanceStatuses, whichever of the two documented shapes the service used. */
export function instanceStatusList(value: CreateClientsResponse['InstanceStatuses']): InstanceStatus[] {
  if (!value) return [];
  return Array.isArray(value) ? [...value] : [...(value.InstanceStatus ?? [])];
}

/** The clients of a DescribeBackupClients page, whichever of the two documented shapes the service used. */
export function clientList(value: DescribeBackupClientsResponse['Clients']): BackupClient[] {
  if (!value) return [];
  return Array.isArray(value) ? [...value] : [...(value.Client ?? [])];
}
