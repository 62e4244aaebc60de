import { AppliedSpecs, loadDeclared, DeclaredObject } from './stacks';
import type { Vault } from '../../api/cbr/responses';
import { HOOK_KINDS, VaultSpec } from '../../contract/specs';
import type { CachedCbrClient } from '../cbr/cache';
import { CbrLocation, locationOf } from '../cbr/config';
import { FieldChange } from '../handlers/diff';
import { ownedByDeployment, ownerTagOf } from '../handlers/ownership';
import { vaultTag } from '../handlers/vault';
import { checkDrift, HookClients } from '../hook';

export type DriftStatus = 'in_sync' | 'drifted' | 'missing' | 'error';

export interface DriftEntry {
  readonly stack: string;
  readonly kind: string;
  readonly key: string;
  readonly status: DriftStatus;
  readonly changes: FieldChange[];
  readonly error?: string;
}

/** A vault tagged for an examined deployment that none of its constructs declares. */
export interface UndeclaredVault {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
}

export interface DriftReport {
  readonly entries: DriftEntry[];
  readonly undeclared: UndeclaredVault[];
  /** API calls made, as counted by the clients. */
  readonly apiCalls: number;
}

export interface DriftOptions {
  readonly appDir: string;
  readonly stack?: string;
  /** Clients whose CBR client serves reads from one listing per collection (the same one on every call). */
  readonly clients: HookClients & { cbr(at?: CbrLocation): CachedCbrClient };
  /** Returns the number of API calls made so far. */
  readonly calls?: () => number;
  /** Reads the applied specs of entries whose values come from expressions. @default none: such entries are errors */
  readonly applied?: AppliedSpecs;
}

/** Compares every object the synthesized stacks declare with the live cloud. */
export async function detectDrift(opts: DriftOptions): Promise<DriftReport> {
  const declared = loadDeclared(opts.appDir, opts.stack, HOOK_KINDS, opts.applied);
  const entries: DriftEntry[] = [];
  for (const obj of declared) entries.push(await checkOne(obj, opts.clients));
  // Undeclared: vaults tagged for an examined deployment that none of its constructs declares.
  // Other deployments' vaults (another state, another app) are not this report's business.
  const deployments = new Set(declared.map((d) => d.spec?.deployment).filter((d): d is string => typeof d === 'string'));
  const owners = new Set(declared.filter((d) => d.kind === 'vault' && d.spec?.deployment).map((d) => vaultTag(d.spec as VaultSpec, d.key)));
  // Every region and project the stacks declare objects in, each listed once (one client each, and its listing).
  const vaults: Vault[] = [];
  if (deployments.size > 0) {
    const places = new Set(declared.filter((d) => d.spec && d.kind !== 'client').map((d) => opts.clients.cbr(locationOf(d.spec))));
    if (places.size === 0) places.add(opts.clients.cbr());
    for (const client of places) vaults.push(...await client.listAllVaults({}));
  }
  const undeclared = vaults.flatMap((v) => {
    const owner = ownerTagOf(v);
    const ours = [...deployments].some((d) => ownedByDeployment(v, d));
    return owner && ours && !owners.has(owner) ? [{ id: v.id, name: v.name, owner }] : [];
  });
  return { entries, undeclared, apiCalls: opts.calls?.() ?? 0 };
}

async function checkOne(obj: DeclaredObject, clients: HookClients): Promise<DriftEntry> {
  const base = { stack: obj.stack, kind: obj.kind, key: obj.key };
  if (obj.unresolved) return { ...base, status: 'error', changes: [], error: obj.unresolved };
  if (obj.unapplied) return { ...base, status: 'missing', changes: [] };
  try {
    return { ...base, ...(await checkDrift(obj.kind, obj.key, obj.spec, clients)) };
  } catch (err) {
    return { ...base, status: 'error', changes: [], error: (err as Error).message };
  }
}

/** 0 in sync, 2 drift (drifted, missing or undeclared objects), 1 when any object could not be read. */
export function driftExitCode(report: DriftReport): number {
  if (report.entries.some((e) => e.status === 'error')) return 1;
  const drift = report.entries.some((e) => e.status !== 'in_sync') || report.undeclared.length > 0;
  return drift ? 2 : 0;
}
