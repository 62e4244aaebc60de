import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OrderVaultRequest } from '../api/cbr/vaults';

/** A vault as stored: every field of the VaultCreateResource table, plus what only the emulator needs. */
export interface VaultRecord {
  id: string;
  name: string;
  description: string;
  project_id: string;
  provider_id: string;
  user_id: string;
  created_at: string;
  billing: BillingRecord;
  resources: ResourceRecord[];
  tags: Array<{ key: string; value: string }>;
  enterprise_project_id: string;
  auto_bind: boolean;
  bind_rules: { tags?: Array<{ key: string; value: string }> };
  auto_expand: boolean;
  smn_notify: boolean;
  threshold: number;
  backup_name_prefix: string;
  demand_billing: boolean;
  cbc_delete_count: number;
  frozen: boolean;
  sys_lock_source_service: string;
  /** Order parameters of BillingCreate that no response table returns. */
  order: { period_type?: string; period_num?: number; is_auto_renew: boolean; is_auto_pay: boolean; console_url?: string };
  /** Last change (VaultGet.updated_at of 4.2.1/4.2.3); absent in state files of older emulators. */
  updated_at?: string;
}

export interface BillingRecord {
  allocated: number;
  charging_mode: string;
  cloud_type: string;
  consistent_level: string;
  object_type: string;
  order_id: string;
  product_id: string;
  protect_type: string;
  size: number;
  spec_code: string;
  status: string;
  storage_unit: string;
  used: number;
  frozen_scene: string;
  is_multi_az: boolean;
}

export interface ResourceRecord {
  extra_info: { exclude_volumes: string[] };
  id: string;
  name: string;
  protect_status: string;
  size: number;
  type: string;
  backup_size: number;
  backup_count: number;
}

export interface PolicyRecord {
  id: string;
  project_id: string;
  name: string;
  enabled: boolean;
  operation_type: string;
  /** Stored as given: the document's examples echo exactly the configured retention fields. */
  operation_definition: Record<string, unknown>;
  trigger: { id: string; name: string; type: string; properties: { pattern: string[]; start_time: string } };
}

/** A policy applied to a vault (4.5.1 backup_policy_id, later 4.5.8). */
export interface Association {
  vault_id: string;
  policy_id: string;
  destination_vault_id?: string;
}

/** A fake server, disk or file system the emulator protects (4.2.1, 4.2.3; checked by 4.5.7). */
export interface ProtectableRecord {
  id: string;
  /** One of the ResourceCreate types: OS::Nova::Server, OS::Cinder::Volume, OS::Sfs::Turbo, ... */
  type: string;
  name: string;
  /** GB. For a server: the configured size, else the sum of its volumes. */
  size: number;
  /** ProtectablesResp.status: active, deleted or error. */
  status: string;
  /** The disks of a server (children in 4.2.1; the ids exclude_volumes may name). */
  volumes: Array<{ id: string; name: string; size: number }>;
  /** ProtectablesResp.detail, as configured. */
  detail: Record<string, unknown>;
}

/** One task of 4.1 (Table 4-4 OperationLog), plus the enterprise project for the list filter. */
export interface OperationLogRecord {
  id: string;
  project_id: string;
  operation_type: string;
  status: string;
  checkpoint_id: string;
  created_at: string;
  started_at: string;
  ended_at: string;
  updated_at: string;
  error_info: { code: string; message: string };
  extra_info: Record<string, unknown>;
  policy_id: string;
  provider_id: string;
  vault_id: string;
  vault_name: string;
  enterprise_project_id: string;
}

/** A yearly/monthly vault order of 4.5.14: pending until the emulator's "billing center" completes it. */
export interface OrderRecord {
  order_id: string;
  /** The pre-generated vault id (CbcOrderResult.resourceId). */
  resource_id: string;
  project_id: string;
  user_id: string;
  status: 'pending' | 'completed' | 'failed';
  created_at: string;
  completed_at?: string;
  /** Why a completion failed (e.g. a resource was taken meanwhile). */
  failure?: string;
  /** When the vault of a completed order was deleted (4.5.5); the order itself is not the vault API's business. */
  vault_deleted_at?: string;
  /** The validated VaultOrder body. */
  vault: OrderVaultRequest['vault'];
}

export interface TokenRecord {
  token: string;
  access_key: string;
  project_id: string;
  /** The region of that project; absent (main region) in state files of older emulators. */
  region?: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

export interface EmulatorData {
  vaults: VaultRecord[];
  policies: PolicyRecord[];
  associations: Association[];
  tokens: TokenRecord[];
  /** The configured protectable resources (servers, disks, file systems). */
  protectables: ProtectableRecord[];
  operation_logs: OperationLogRecord[];
  orders: OrderRecord[];
}

const FORMAT_VERSION = 1;

function empty(): EmulatorData {
  return { vaults: [], policies: [], associations: [], tokens: [], protectables: [], operation_logs: [], orders: [] };
}

/**
 * All emulator state, in memory, optionally mirrored to a JSON file. The file is rewritten after
 * every change by writing a temporary file in the same directory and renaming it over the old one,
 * so a crash of the process at any moment leaves either the old or the new state, never half of
 * one. No fsync: the emulator's crashes are its process dying (which keeps written pages), not the
 * machine losing power, and an fsync per write was a third of its CPU time in an apply.
 */
export class Store {
  private static read(file: string): EmulatorData {
    const text = fs.readFileSync(file, 'utf8');
    let parsed: { version?: number } & Partial<EmulatorData>;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      // Refuse to start rather than silently begin with an empty cloud.
      throw new Error(`emulator state file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (parsed.version !== FORMAT_VERSION) throw new Error(`emulator state file ${file} has unsupported version ${parsed.version}`);
    // Collections added by later emulator versions are simply empty in older files.
    const { version: _version, ...collections } = parsed;
    return { ...empty(), ...collections };
  }

  private static text(data: EmulatorData): string {
    return JSON.stringify({ version: FORMAT_VERSION, ...data }, null, 2) + '\n';
  }

  public data: EmulatorData = empty();
  /** The text last written to the file: what a failed write goes back to, without a copy per change. */
  private saved = '';
  /** The write that will take in every change made before it runs; see persistSoon. */
  private flush?: Promise<void>;

  constructor(private readonly file?: string) {
    if (!file) return;
    if (fs.existsSync(file)) this.data = Store.read(file);
    else fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.saved = Store.text(this.data);
  }

  /** Back to an empty cloud; the protectable resources given here (the configured inventory) stay. */
  public reset(protectables: ProtectableRecord[] = []): void {
    this.data = { ...empty(), protectables: JSON.parse(JSON.stringify(protectables)) };
  }

  /**
   * Persists this change with every other made in the same turn of the event loop: one write of
   * the file for a burst of concurrent requests instead of one each, as a database commits a group.
   * Callers answer only once it resolves, so an answered change is on disk. When the write fails,
   * every change of the group is undone and each caller gets the error.
   */
  public persistSoon(): Promise<void> {
    if (!this.file) return Promise.resolve();
    return this.flush ??= new Promise((resolve, reject) => setImmediate(() => {
      this.flush = undefined;
      try {
        this.persist();
        resolve();
      } catch (e) {
        reject(e);
      }
    }));
  }

  /**
   * Writes the state file (when there is one) atomically. When it cannot, the state in memory goes
   * back to what the file holds, so no change is visible that a restart would lose, and it throws.
   */
  public persist(): void {
    if (!this.file) return;
    const dir = path.dirname(path.resolve(this.file));
    const tmp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const text = Store.text(this.data);
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'w', 0o600);
      fs.writeFileSync(fd, text); // loops until every byte is written
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.file);
      this.saved = text;
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      const { version: _version, ...data } = JSON.parse(this.saved);
      this.data = data;
      throw e;
    }
  }

  // ---- Queries shared by the resource modules ----

  public vault(projectId: string, id: string): VaultRecord | undefined {
    return this.data.vaults.find((v) => v.id === id && v.project_id === projectId);
  }

  public policy(projectId: string, id: string): PolicyRecord | undefined {
    return this.data.policies.find((p) => p.id === id && p.project_id === projectId);
  }

  /** The vault (of any project) a resource is associated with, if any. */
  public vaultHoldingResource(resourceId: string): VaultRecord | undefined {
    return this.data.vaults.find((v) => v.resources.some((r) => r.id === resourceId));
  }

  /** A pending yearly/monthly order whose vault will hold the resource. */
  public orderHoldingResource(resourceId: string): OrderRecord | undefined {
    return this.data.orders.find((o) => o.status === 'pending'
      && (o.vault.resources as Array<{ id: string }>).some((r) => r.id === resourceId));
  }

  /** True once at least one protectable resource is configured: only then are resource ids checked. */
  public get checksResources(): boolean {
    return this.data.protectables.length > 0;
  }

  public protectable(id: string): ProtectableRecord | undefined {
    return this.data.protectables.find((p) => p.id === id);
  }

  public associationsOfPolicy(policyId: string): Association[] {
    return this.data.associations.filter((a) => a.policy_id === policyId);
  }

  public associationsOfVault(vaultId: string): Association[] {
    return this.data.associations.filter((a) => a.vault_id === vaultId);
  }
}
