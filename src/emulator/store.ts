import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

export interface TokenRecord {
  token: string;
  access_key: string;
  project_id: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

export interface EmulatorData {
  vaults: VaultRecord[];
  policies: PolicyRecord[];
  associations: Association[];
  tokens: TokenRecord[];
}

const FORMAT_VERSION = 1;

function empty(): EmulatorData {
  return { vaults: [], policies: [], associations: [], tokens: [] };
}

/**
 * All emulator state, in memory, optionally mirrored to a JSON file. The file is rewritten after
 * every change by writing a temporary file in the same directory, fsyncing it and renaming it over
 * the old one, so a crash at any moment leaves either the old or the new state, never half of one.
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
    return {
      vaults: parsed.vaults ?? [],
      policies: parsed.policies ?? [],
      associations: parsed.associations ?? [],
      tokens: parsed.tokens ?? [],
    };
  }

  public data: EmulatorData = empty();

  constructor(private readonly file?: string) {
    if (!file) return;
    if (fs.existsSync(file)) this.data = Store.read(file);
    else fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  /** A deep copy to roll back to if a change cannot be persisted. */
  public snapshot(): string {
    return JSON.stringify(this.data);
  }

  public restore(snapshot: string): void {
    this.data = JSON.parse(snapshot);
  }

  public reset(): void {
    this.data = empty();
  }

  /** Writes the state file (when there is one) atomically. Throws when it cannot. */
  public persist(): void {
    if (!this.file) return;
    const dir = path.dirname(path.resolve(this.file));
    const tmp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const text = JSON.stringify({ version: FORMAT_VERSION, ...this.data }, null, 2) + '\n';
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'w', 0o600);
      fs.writeFileSync(fd, text); // loops until every byte is written
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.file);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
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

  public associationsOfPolicy(policyId: string): Association[] {
    return this.data.associations.filter((a) => a.policy_id === policyId);
  }

  public associationsOfVault(vaultId: string): Association[] {
    return this.data.associations.filter((a) => a.vault_id === vaultId);
  }
}
