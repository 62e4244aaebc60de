import * as fs from 'node:fs';
import { applyStack } from './batch';
import { CachedCbrClient } from './cbr/cache';
import { CbrClient, CbrClientOptions } from './cbr/client';
import { CbrConfig, CbrLocation, loadCbrConfig, locationKey, locationOf } from './cbr/config';
import { decodeClaim, decodeSpec, decodeStored, preview, ruleProblem } from '../contract/decode';
import { declaredSpecs, stackNameOf } from '../contract/entries';
import { applyAssociation, deleteAssociation, diffAssociation, readAssociation } from './handlers/association';
import { applyAttachment, deleteAttachment, diffAttachment, readAttachment } from './handlers/attachment';
import { applyBackupClient, deleteBackupClient, diffBackupClient, readBackupClient } from './handlers/backup-client';
import { destroys, replaces, terraformArgs } from './handlers/command';
import { HookContext, HookError } from './handlers/context';
import { canonicalJson, describeChanges, FieldChange } from './handlers/diff';
import { fileHandoff } from './handlers/handoff';
import { applyPolicy, claimPolicy, deletePolicy, diffPolicy, findPolicy } from './handlers/policy';
import { applyTag, deleteTag, diffTag, readTag } from './handlers/tag';
import { applyVault, deleteVault, diffVault, orderVaultOnce, readVault } from './handlers/vault';
import { HbrClient } from './hbr/client';
import { Env, readSettings, Settings } from './settings';
import {
  AssociationSpec, AttachmentSpec, BackupClientSpec, HOOK_ACTIONS, HOOK_KINDS, HookAction, HookKind, PolicyClaimSpec, PolicySpec, tableName, TagSpec,
  VaultSpec,
} from '../contract/specs';

/**
 * The API clients hooks use, each built from the settings on first use: a CBR hook needs no
 * Alibaba credentials and an HBR hook no Huawei ones. CBR has one client per region and project
 * (each with its endpoint, and its token when tokens are used); unset is the terraform run's.
 */
export interface HookClients {
  cbr(at?: CbrLocation): CbrClient;
  /** The HBR client of a region ('' or unset: the terraform run's). */
  hbr(at?: { readonly region?: string }): HbrClient;
}

/** Lazily built clients of these settings, one per place: unset and the terraform run's own region are one client. */
export function hookClients(settings: Settings, options: CbrClientOptions = {}): HookClients {
  const cbr = memo((config: CbrConfig) => CbrClient.fromSettings(settings, options, config));
  const hbr = memo((at: { readonly region?: string }) => HbrClient.fromSettings(settings, {}, at));
  return {
    cbr: (at = {}) => {
      const config = loadCbrConfig(settings, at);
      return cbr(locationKey(config), config);
    },
    hbr: (at = {}) => hbr(at.region ?? '', at),
  };
}

/**
 * The same clients, CBR reads served from one listing per place (CachedCbrClient): what the hook
 * entry and drift read N objects with.
 */
export function withListings(base: HookClients): HookClients & { cbr(at?: CbrLocation): CachedCbrClient } {
  const cached = memo((client: CbrClient) => new CachedCbrClient(client));
  return {
    cbr: (at) => {
      const client = base.cbr(at);
      return cached(locationKey(client.config), client);
    },
    hbr: (at) => base.hbr(at),
  };
}

/** `make(arg)` once per key. */
function memo<A, T>(make: (arg: A) => T): (key: string, arg: A) => T {
  const made = new Map<string, T>();
  return (key, arg) => {
    if (!made.has(key)) made.set(key, make(arg));
    return made.get(key)!;
  };
}

/** One kind's lifecycle operations; `read` returns the live object, or undefined when missing. */
export interface KindHandler<S, C = CbrClient> {
  /** Which API client the kind uses for `spec`'s object. @default the CBR client of its region and project */
  api?: (clients: HookClients, spec: unknown) => C;
  /** True when `delete` calls no API, so it is given no client (and needs no credentials). */
  offlineDelete?: boolean;
  /** `env` for what a spec names in the hook's environment (an HBR client's access key variables). */
  apply(client: C, spec: S, ctx: HookContext, env: Env): Promise<void>;
  delete(client: C, spec: S, ctx: HookContext): Promise<void>;
  /** `key` is the entry's key, from which a vault's ownership tag derives. */
  read(client: C, spec: S, key: string): Promise<unknown>;
  diff(spec: S, live: never): FieldChange[];
}

export const HANDLERS: Record<HookKind, KindHandler<any, any>> = {
  vault: { apply: applyVault, delete: deleteVault, read: readVault, diff: diffVault } as KindHandler<VaultSpec>,
  policy: { apply: applyPolicy, delete: deletePolicy, read: findPolicy, diff: diffPolicy } as KindHandler<PolicySpec>,
  attachment: { apply: applyAttachment, delete: deleteAttachment, read: readAttachment, diff: diffAttachment } as KindHandler<AttachmentSpec>,
  association: { apply: applyAssociation, delete: deleteAssociation, read: readAssociation, diff: diffAssociation } as KindHandler<AssociationSpec>,
  tag: { apply: applyTag, delete: deleteTag, read: readTag, diff: diffTag } as KindHandler<TagSpec>,
  // The HBR backup client (hbr.BackupClient); `client` is the kind's name in users' states.
  client: {
    api: (c, spec) => c.hbr(locationOf(spec)),
    offlineDelete: true,
    apply: (client, spec, ctx, env) => applyBackupClient(client, spec, ctx, env),
    delete: (_client, spec, ctx) => deleteBackupClient(spec, ctx),
    read: readBackupClient,
    diff: diffBackupClient,
  } as KindHandler<BackupClientSpec, HbrClient>,
};

/** The hook of one object: a delete, a claim, an order, or a read or diff for people and tests. */
export interface HookInvocation {
  readonly action: Exclude<HookAction, 'apply'>;
  readonly kind: HookKind;
  readonly key: string;
  readonly spec: unknown;
  /** The synthesized configuration Terraform is applying (cdk.tf.json), when known. */
  readonly configFile?: string;
  /** The Terraform process running the hook (its pid), which scopes hand-overs between hooks. */
  readonly runId?: string;
  /**
   * The hook's environment, only for the variables a spec names itself (an HBR client's
   * accessKeyIdEnv): users choose those names, so the settings cannot list them. @default none
   */
  readonly env?: Env;
}

/** The synthesized configuration, or undefined when there is none or it cannot be read. */
export function readConfig(configFile: string | undefined): unknown {
  if (!configFile) return undefined;
  try {
    return JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Exit codes: 0 done (diff: in sync), 1 failed, 2 diff found drift or a missing object. */
export async function runHook(inv: HookInvocation, clients: HookClients, out: (line: string) => void): Promise<number> {
  const handler = HANDLERS[inv.kind];
  let config: unknown;
  const configured = () => (config ??= readConfig(inv.configFile));
  // A claim carries its policy's location too; one made by an earlier release is where the terraform run is.
  const client = inv.action === 'delete' && handler.offlineDelete ? undefined : clientFor(handler, clients, inv.spec);
  const ctx: HookContext = {
    key: inv.key,
    get stack() { return stackNameOf(configured()); },
    report: out,
    unchanged: out,
    declared: (kind) => (configured() === undefined ? undefined : declaredSpecs(configured(), kind) ?? {}),
    handoff: fileHandoff(inv.configFile, inv.runId, inv.kind, inv.key),
    replacedOnRequest: () => replaces(terraformArgs(inv.runId), `terraform_data.${tableName(inv.kind)}[${JSON.stringify(inv.key)}]`),
    destroying: () => destroys(terraformArgs(inv.runId)),
    clientAt: (at) => clients.cbr(at),
  };
  switch (inv.action) {
    case 'delete': {
      const refused = ruleProblem(inv.kind, inv.spec as never);
      if (refused) {
        out(`${inv.kind} ${inv.key}: nothing to delete: the hook entry refused its spec (${refused}), so it never made this object`);
        return 0;
      }
      await handler.delete(client, inv.spec, ctx);
      return 0;
    }
    case 'claim':
      await claimPolicy(client as CbrClient, inv.spec as PolicyClaimSpec, ctx);
      return 0;
    case 'order':
      await orderVaultOnce(client as CbrClient, inv.spec as VaultSpec, ctx);
      return 0;
    case 'read': {
      const live = await handler.read(client, inv.spec, inv.key);
      out(canonicalJson(live ?? null));
      return 0;
    }
    case 'diff': {
      const result = await checkDrift(inv.kind, inv.key, inv.spec, clients);
      const what = result.status === 'drifted' ? `drifted ${describeChanges(result.changes)}` : result.status.replace('_', ' ');
      out(`${inv.kind} ${inv.key}: ${what}`);
      return result.status === 'in_sync' ? 0 : 2;
    }
  }
}

/** Where a hook's output goes: stdout lines, and the one-line failures on stderr. */
export interface HookOutput {
  out(line: string): void;
  err(line: string): void;
}

/** What a hook runs with, from where its process started. */
export interface HookEdge {
  /** The hook's environment: where its settings come from, and the variables a spec names. */
  readonly env: Env;
  /** The settings of `env`, when the caller has read them already. @default read from `env` here */
  readonly settings?: Settings;
  /** @default clients of the settings, each built on first use */
  readonly clients?: HookClients;
}

/**
 * Runs one provisioner invocation and returns its exit code: `apply stack <name>` (the hook entry,
 * every object of the stack) or `<action> <kind> <key>` with the entry in env CBR_SPEC. A failure,
 * a bad setting included, is reported as one `<kind> <key>: FAILED: <reason>` line per object. The
 * same code path serves a hook process and the warm runner, so both print and exit alike.
 */
export async function executeHook(argv: readonly string[], edge: HookEdge, output: HookOutput): Promise<number> {
  let key = argv[2] ?? '(unknown construct)';
  let kind = argv[1] ?? 'hook';
  try {
    const settings = edge.settings ?? readSettings(edge.env);
    const clients = edge.clients ?? hookClients(settings);
    if (argv[0] === 'apply') {
      return await applyStack({ settings, env: edge.env, clients, output, testDelay: (k) => orderingDelay(settings.testDelay, 'apply', k) });
    }
    key = argv[2] ?? settings.key ?? key;
    const inv = { ...parseInvocation(argv, settings), env: edge.env };
    key = inv.key;
    kind = inv.kind;
    await orderingDelay(settings.testDelay, inv.action, inv.kind);
    return await runHook(inv, clients, (line) => output.out(line));
  } catch (err) {
    output.err(`${kind} ${key}: FAILED: ${(err as Error).message}`);
    return 1;
  }
}

/**
 * For tests of hooks that Terraform runs concurrently in no set order (DESIGN.md fact 10):
 * `CBR_TEST_DELAY=delete:association:1500,...` holds those hooks back (`apply:<kind>` holds the
 * hook entry back before it applies that kind), forcing one order.
 */
async function orderingDelay(rules: Settings['testDelay'], action: string, kind: string): Promise<void> {
  for (const rule of rules) {
    if (rule.action === action && rule.kind === kind) await new Promise((r) => setTimeout(r, rule.ms));
  }
}

/** The API client a kind uses for `spec`'s object: CBR of its region and project unless the kind says otherwise. */
export function clientFor(handler: KindHandler<any, any>, clients: HookClients, spec: unknown): unknown {
  return (handler.api ?? ((c: HookClients) => c.cbr(locationOf(spec))))(clients, spec);
}

/** How one declared object compares with the cloud. */
export interface DriftCheck {
  readonly status: 'in_sync' | 'drifted' | 'missing';
  readonly changes: FieldChange[];
}

/** Reads the live object a spec declares and compares it field by field. */
export async function checkDrift(kind: HookKind, key: string, spec: unknown, clients: HookClients): Promise<DriftCheck> {
  const handler = HANDLERS[kind];
  const live = await handler.read(clientFor(handler, clients, spec), spec, key);
  if (!live) return { status: 'missing', changes: [] };
  const changes = handler.diff(spec, live as never);
  return { status: changes.length === 0 ? 'in_sync' : 'drifted', changes };
}

/**
 * Parses `<action> <kind> <key>` plus the spec the provisioner puts in the environment (CBR_SPEC):
 * an entry's `[input, triggers_replace]` for delete and order, a claim's spec for claim, and a
 * whole spec for read and diff.
 */
export function parseInvocation(argv: readonly string[], settings: Settings): HookInvocation {
  const [action, kind, key] = argv;
  // Listed names only: `in` would also accept what every object inherits (toString, constructor...).
  if (!(HOOK_ACTIONS as readonly string[]).includes(action) || action === 'apply') {
    throw new HookError(`unknown action ${preview(action ?? '')}: expected one of ${HOOK_ACTIONS.join(', ')}`);
  }
  if (!(HOOK_KINDS as readonly string[]).includes(kind)) {
    throw new HookError(`unknown kind ${preview(kind ?? '')}: expected one of ${HOOK_KINDS.join(', ')}`);
  }
  const raw = settings.spec;
  if (!raw) throw new HookError('CBR_SPEC is not set: the provisioner passes the entry as jsonencode([self.input, self.triggers_replace])');
  let spec: unknown;
  try {
    spec = JSON.parse(raw);
  } catch (err) {
    throw new HookError(`CBR_SPEC is not valid JSON (${(err as Error).message})`);
  }
  if (action === 'claim' && kind !== 'policy') throw new HookError(`the claim action is for kind policy, not ${preview(kind)}`);
  if (action === 'order' && kind !== 'vault') throw new HookError(`the order action is for kind vault, not ${preview(kind)}`);
  const at = key ?? settings.key ?? '(unknown construct)';
  // Before any client is built: a spec of the wrong shape never reaches the API.
  const decoded = action === 'claim' ? decodeClaim(spec)
    : action === 'delete' ? decodeStored(kind as HookKind, at, spec, {}, { rules: false })
      : action === 'order' ? decodeStored(kind as HookKind, at, spec)
        : decodeSpec(kind as HookKind, spec);
  return { action: action as HookInvocation['action'], kind: kind as HookKind, key: at, spec: decoded, configFile: settings.configFile, runId: settings.terraformPid };
}
