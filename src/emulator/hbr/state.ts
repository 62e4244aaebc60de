import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The HBR emulator's model: simulated ECS instances, HBR clients and asynchronous jobs, persisted as
 * one JSON document. Client transitions (INSTALLING -> ACTIVATED or INSTALL_FAILED, UPGRADING ->
 * ACTIVATED or UPGRADE_FAILED) are driven by the clock: every request first advances the model to
 * "now", so the transitions are asynchronous to the caller and survive a restart.
 */

export type InstanceRunState = 'Running' | 'Stopped';
/** What an install or upgrade job does on the instance. `hang`: never finishes, the job expires. */
export type JobOutcome = 'success' | 'fail' | 'hang';

export interface SimulatedInstance {
  instanceId: string;
  status: InstanceRunState;
  /** false: CloudAssistNotRunningOnInstance. */
  cloudAssistant: boolean;
  installOutcome: JobOutcome;
  upgradeOutcome: JobOutcome;
  instanceName: string;
  hostname: string;
  privateIpV4: string;
  zoneId: string;
  osType: 'linux' | 'windows';
  archType: 'amd64' | '386';
}

export interface ClientSettingsRecord {
  ProxyHost: string;
  MaxCpuCore: string;
  ProxyPort: number;
  UseHttps: string;
  ProxyPassword: string;
  ProxyUser: string;
  DataProxySetting: string;
  DataNetworkType: string;
  MaxWorker: string;
}

export interface PendingTransition {
  kind: 'install' | 'upgrade';
  taskId: string;
  /** When the job ends on this instance (ms); for `hang`, when it expires. */
  until: number;
  outcome: JobOutcome;
  targetVersion: string;
}

export interface ClientRecord {
  ClientId: string;
  ClientType: 'ECS_CLIENT' | 'CONTAINER_CLIENT';
  InstanceId: string;
  VaultId: string;
  Status: string;
  BackupStatus: 'UNPROTECTED' | 'PROTECTED';
  ClientVersion: string;
  ArchType: string;
  OsType: string;
  ZoneId: string;
  PrivateIpV4: string;
  InstanceName: string;
  Hostname: string;
  Appliance: boolean;
  /** Seconds. */
  CreatedTime: number;
  UpdatedTime: number;
  LastHeartBeatTime: number;
  Tags: Array<{ Key: string; Value: string }>;
  Settings: ClientSettingsRecord;
  ClusterId: string;
  SourceTypes: string[];
  AlertSetting: string;
  ResourceGroupId: string;
  /** ClientInfo accessKeyId the client was installed with ('' when none); the secret is not kept. */
  AccessKeyId: string;
  pending?: PendingTransition;
}

export interface TaskItem {
  clientId: string;
  instanceId: string;
  /** Set when the item finished: the client's status then. */
  result?: string;
  expired?: boolean;
}

export interface TaskRecord {
  TaskId: string;
  Name: string;
  /** ms */
  createdAt: number;
  /** ms; when the last item finished. */
  completedAt?: number;
  items: TaskItem[];
}

export interface HbrSettings {
  /** How long INSTALLING and UPGRADING last, in ms. */
  transitionMs: number;
  /** When a hung job expires, in ms ("The timeout period of an asynchronous job is 15 minutes."). */
  taskTimeoutMs: number;
}

export interface HbrData {
  maxClientVersion: string;
  instances: SimulatedInstance[];
  clients: ClientRecord[];
  tasks: TaskRecord[];
  /** Known vault ids; empty: any well-formed VaultId is accepted. */
  vaults: string[];
  settings: HbrSettings;
}

/** 001's example MaxClientVersion. */
export const DEFAULT_MAX_CLIENT_VERSION = '2.4.5';
export const DEFAULT_SETTINGS: HbrSettings = { transitionMs: 300, taskTimeoutMs: 15 * 60_000 };

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `prefix` + n lowercase letters/digits, like c-********************* (21) and t-000h9x5t02vhyksf1x7k (20). */
export function randomId(prefix: string, n: number): string {
  const bytes = randomBytes(n);
  let out = prefix;
  for (let i = 0; i < n; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}

export function emptyData(): HbrData {
  return { maxClientVersion: DEFAULT_MAX_CLIENT_VERSION, instances: [], clients: [], tasks: [], vaults: [], settings: { ...DEFAULT_SETTINGS } };
}

/** Fills the simulated instance's optional fields from its id. */
export function makeInstance(input: Partial<SimulatedInstance> & { instanceId: string }): SimulatedInstance {
  const n = [...input.instanceId].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 65_000, 7);
  return {
    status: 'Running',
    cloudAssistant: true,
    installOutcome: 'success',
    upgradeOutcome: 'success',
    instanceName: input.instanceId,
    hostname: `iz${input.instanceId.replace(/^i-/, '')}z`,
    privateIpV4: `192.168.${Math.floor(n / 254) % 254}.${(n % 254) + 1}`,
    zoneId: 'cn-hangzhou-f',
    osType: 'linux',
    archType: 'amd64',
    ...input,
  };
}

/** What differs between a client installed through CreateClients and one seeded by an admin call. */
export interface NewClientFields {
  readonly vaultId: string;
  readonly status: string;
  readonly clientVersion: string;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly lastHeartBeat: number;
  readonly useHttps: boolean;
}

/** A fresh ECS client record on `instance`, with the instance's facts copied in. */
export function newClientRecord(instance: SimulatedInstance, f: NewClientFields): ClientRecord {
  return {
    ClientId: randomId('c-', 21),
    ClientType: 'ECS_CLIENT',
    InstanceId: instance.instanceId,
    VaultId: f.vaultId,
    Status: f.status,
    BackupStatus: 'UNPROTECTED',
    ClientVersion: f.clientVersion,
    ArchType: instance.archType,
    OsType: instance.osType,
    ZoneId: instance.zoneId,
    PrivateIpV4: instance.privateIpV4,
    InstanceName: instance.instanceName,
    Hostname: instance.hostname,
    Appliance: false,
    CreatedTime: f.now,
    UpdatedTime: f.now,
    LastHeartBeatTime: f.lastHeartBeat,
    Tags: [],
    Settings: defaultSettings(f.useHttps),
    ClusterId: '',
    SourceTypes: [],
    AlertSetting: '',
    ResourceGroupId: '',
    AccessKeyId: '',
  };
}

export function defaultSettings(useHttps: boolean): ClientSettingsRecord {
  return {
    ProxyHost: '',
    MaxCpuCore: '0',
    ProxyPort: 0,
    UseHttps: String(useHttps),
    ProxyPassword: '',
    ProxyUser: '',
    DataProxySetting: 'USE_CONTROL_PROXY',
    DataNetworkType: 'VPC',
    MaxWorker: '0',
  };
}

/** The model plus its persistence. */
export class HbrState {
  data: HbrData;

  constructor(private readonly file?: string, initial: HbrData = emptyData()) {
    this.data = initial;
    if (file && fs.existsSync(file)) {
      const loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<HbrData>;
      this.data = { ...emptyData(), ...loaded, settings: { ...DEFAULT_SETTINGS, ...loaded.settings } };
    }
  }

  /** Writes the state file atomically (temp file + rename); no-op without a file. */
  persist(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    fs.renameSync(tmp, this.file);
  }

  snapshot(): string {
    return JSON.stringify(this.data);
  }

  restore(snapshot: string): void {
    this.data = JSON.parse(snapshot) as HbrData;
  }

  instance(id: string): SimulatedInstance | undefined {
    return this.data.instances.find((i) => i.instanceId === id);
  }

  upsertInstance(input: Partial<SimulatedInstance> & { instanceId: string }): SimulatedInstance {
    const existing = this.instance(input.instanceId);
    if (existing) {
      Object.assign(existing, input);
      return existing;
    }
    const created = makeInstance(input);
    this.data.instances.push(created);
    return created;
  }

  client(id: string): ClientRecord | undefined {
    return this.data.clients.find((c) => c.ClientId === id);
  }

  clientsOn(instanceId: string): ClientRecord[] {
    return this.data.clients.filter((c) => c.InstanceId === instanceId);
  }

  task(id: string): TaskRecord | undefined {
    return this.data.tasks.find((t) => t.TaskId === id);
  }

  /**
   * Moves every transition whose time has come: success -> ACTIVATED at the target version, fail ->
   * INSTALL_FAILED / UPGRADE_FAILED, hang -> the same failure once the job timeout passes (the job
   * is then "expired"). Returns whether anything changed.
   */
  advance(nowMs: number): boolean {
    let changed = false;
    const seconds = Math.floor(nowMs / 1000);
    for (const c of this.data.clients) {
      const p = c.pending;
      if (!p || nowMs < p.until) continue;
      const failed = p.kind === 'install' ? 'INSTALL_FAILED' : 'UPGRADE_FAILED';
      if (p.outcome === 'success') {
        c.Status = 'ACTIVATED';
        c.ClientVersion = p.targetVersion;
        c.LastHeartBeatTime = seconds;
      } else {
        c.Status = failed;
        if (p.kind === 'install') c.ClientVersion = '';
      }
      c.UpdatedTime = seconds;
      delete c.pending;
      const task = this.task(p.taskId);
      const item = task?.items.find((i) => i.clientId === c.ClientId && i.result === undefined);
      if (task && item) {
        item.result = c.Status;
        if (p.outcome === 'hang') item.expired = true;
        if (task.items.every((i) => i.result !== undefined)) task.completedAt = p.until;
      }
      changed = true;
    }
    // A heartbeat a minute for active clients, so LastHeartBeatTime moves like a live client's.
    for (const c of this.data.clients) {
      if (c.Status === 'ACTIVATED' && seconds - c.LastHeartBeatTime >= 60) c.LastHeartBeatTime = seconds;
    }
    return changed;
  }
}
