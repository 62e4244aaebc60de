import * as fs from 'node:fs';
import { CbrClient } from './cbr/client';
import { decodeClaim, decodeSpec, preview } from '../contract/decode';
import { applyAssociation, deleteAssociation, diffAssociation, readAssociation } from './handlers/association';
import { applyAttachment, deleteAttachment, diffAttachment, readAttachment } from './handlers/attachment';
import { applyBackupClient, deleteBackupClient, diffBackupClient, readBackupClient } from './handlers/backup-client';
import { replaces, terraformArgs } from './handlers/command';
import { HookContext, HookError } from './handlers/context';
import { canonicalJson, describeChanges, FieldChange } from './handlers/diff';
import { fileHandoff } from './handlers/handoff';
import { applyPolicy, claimPolicy, deletePolicy, diffPolicy, findPolicy } from './handlers/policy';
import { applyTag, deleteTag, diffTag, readTag } from './handlers/tag';
import { applyVault, deleteVault, diffVault, readVault } from './handlers/vault';
import { HbrClient } from './hbr/client';
import { Env, readSettings, Settings } from './settings';
import { AssociationSpec, AttachmentSpec, BackupClientSpec, declaredSpecs, HOOK_ACTIONS, HOOK_KINDS, HookAction, HookKind, PolicyClaimSpec, PolicySpec, TagSpec, VaultSpec } from '../contract/specs';

/**
 * The API clients hooks use, each built from the settings on first use: a CBR hook needs no
 * Alibaba credentials and an HBR hook no Huawei ones.
 */
export interface HookClients {
  cbr(): CbrClient;
  hbr(): HbrClient;
}

/** Lazily built, memoized clients of these settings. */
export function hookClients(settings: Settings): HookClients {
  let cbr: CbrClient | undefined;
  let hbr: HbrClient | undefined;
  return {
    cbr: () => (cbr ??= CbrClient.fromSettings(settings)),
    hbr: () => (hbr ??= HbrClient.fromSettings(settings)),
  };
}

/** One kind's lifecycle operations; `read` returns the live object, or undefined when missing. */
interface KindHandler<S, C = CbrClient> {
  /** Which API client the kind uses. @default the CBR client */
  api?: (clients: HookClients) => C;
  /** True when `delete` calls no API, so it is given no client (and needs no credentials). */
  offlineDelete?: boolean;
  /** `inv` for what a spec names in the hook's environment (an HBR client's access key variables). */
  apply(client: C, spec: S, ctx: HookContext, inv: HookInvocation): Promise<void>;
  delete(client: C, spec: S, ctx: HookContext): Promise<void>;
  /** `key` is the entry's key, from which a vault's ownership tag derives. */
  read(client: C, spec: S, key: string): Promise<unknown>;
  diff(spec: S, live: never): FieldChange[];
}

const HANDLERS: Record<HookKind, KindHandler<any, any>> = {
  vault: { apply: applyVault, delete: deleteVault, read: readVault, diff: diffVault } as KindHandler<VaultSpec>,
  policy: { apply: applyPolicy, delete: deletePolicy, read: findPolicy, diff: diffPolicy } as KindHandler<PolicySpec>,
  attachment: { apply: applyAttachment, delete: deleteAttachment, read: readAttachment, diff: diffAttachment } as KindHandler<AttachmentSpec>,
  association: { apply: applyAssociation, delete: deleteAssociation, read: readAssociation, diff: diffAssociation } as KindHandler<AssociationSpec>,
  tag: { apply: applyTag, delete: deleteTag, read: readTag, diff: diffTag } as KindHandler<TagSpec>,
  // The HBR backup client (hbr.BackupClient); `client` is the kind's name in users' states.
  client: {
    api: (c) => c.hbr(),
    offlineDelete: true,
    apply: (client, spec, ctx, inv) => applyBackupClient(client, spec, ctx, inv.env ?? {}),
    delete: (_client, spec, ctx) => deleteBackupClient(spec, ctx),
    read: readBackupClient,
    diff: diffBackupClient,
  } as KindHandler<BackupClientSpec, HbrClient>,
};


export interface HookInvocation {
  readonly action: HookAction;
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
function readConfig(configFile: string | undefined): unknown {
  if (!configFile) return undefined;
  try {
    return JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function declaredIn(config: unknown, kind: HookKind): Record<string, unknown> | undefined {
  return config === undefined ? undefined : declaredSpecs(config, kind) ?? {};
}

/** Exit codes: 0 done (diff: in sync), 1 failed, 2 diff found drift or a missing object. */
export async function runHook(inv: HookInvocation, clients: HookClients, out: (line: string) => void): Promise<number> {
  const handler = HANDLERS[inv.kind];
  const client = inv.action === 'delete' && handler.offlineDelete ? undefined : clientFor(handler, clients);
  let config: unknown;
  const ctx: HookContext = {
    key: inv.key,
    report: out,
    declared: (kind) => declaredIn(config ??= readConfig(inv.configFile), kind),
    handoff: fileHandoff(inv.configFile, inv.runId, inv.kind, inv.key),
    replacedOnRequest: () => replaces(terraformArgs(inv.runId), `terraform_data.cbr_${inv.kind}[${JSON.stringify(inv.key)}]`),
  };
  switch (inv.action) {
    case 'apply':
      await handler.apply(client, inv.spec, ctx, inv);
      return 0;
    case 'delete':
      await handler.delete(client, inv.spec, ctx);
      return 0;
    case 'claim':
      await claimPolicy(client as CbrClient, inv.spec as PolicyClaimSpec, ctx);
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

/** Where a hook's output goes: stdout lines, and the one-line failure on stderr. */
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
 * Runs one provisioner invocation (`<action> <kind> <key>`, spec in env CBR_SPEC) and returns its
 * exit code; a failure, a bad setting included, is reported as one `<kind> <key>: FAILED: <reason>`
 * line. The same code path serves a hook process and the warm runner, so both print and exit alike.
 */
export async function executeHook(argv: readonly string[], edge: HookEdge, output: HookOutput): Promise<number> {
  let key = argv[2] ?? '(unknown construct)';
  let kind = argv[1] ?? 'hook';
  try {
    const settings = edge.settings ?? readSettings(edge.env);
    key = argv[2] ?? settings.key ?? key;
    const inv = { ...parseInvocation(argv, settings), env: edge.env };
    key = inv.key;
    kind = inv.kind;
    await orderingDelay(settings.testDelay, inv);
    return await runHook(inv, edge.clients ?? hookClients(settings), (line) => output.out(line));
  } catch (err) {
    output.err(`${kind} ${key}: FAILED: ${(err as Error).message}`);
    return 1;
  }
}

/**
 * For tests of hooks that Terraform runs concurrently in no set order (DESIGN.md fact 10):
 * `CBR_TEST_DELAY=delete:association:1500,...` holds those hooks back, forcing one order.
 */
async function orderingDelay(rules: Settings['testDelay'], inv: HookInvocation): Promise<void> {
  for (const rule of rules) {
    if (rule.action === inv.action && rule.kind === inv.kind) await new Promise((r) => setTimeout(r, rule.ms));
  }
}

/** The API client a kind uses: CBR unless the kind says otherwise. */
function clientFor(handler: KindHandler<any, any>, clients: HookClients): unknown {
  return (handler.api ?? ((c: HookClients) => c.cbr()))(clients);
}

/** How one declared object compares with the cloud. */
export interface DriftCheck {
  readonly status: 'in_sync' | 'drifted' | 'missing';
  readonly changes: FieldChange[];
}

/** Reads the live object a spec declares and compares it field by field. */
export async function checkDrift(kind: HookKind, key: string, spec: unknown, clients: HookClients): Promise<DriftCheck> {
  const handler = HANDLERS[kind];
  const live = await handler.read(clientFor(handler, clients), spec, key);
  if (!live) return { status: 'missing', changes: [] };
  const changes = handler.diff(spec, live as never);
  return { status: changes.length === 0 ? 'in_sync' : 'drifted', changes };
}


/** Parses `<action> <kind> <key>` plus the spec the provisioner puts in the environment (CBR_SPEC). */
export function parseInvocation(argv: readonly string[], settings: Settings): HookInvocation {
  const [action, kind, key] = argv;
  // Listed names only: `in` would also accept what every object inherits (toString, constructor...).
  if (!(HOOK_ACTIONS as readonly string[]).includes(action)) {
    throw new HookError(`unknown action ${preview(action ?? '')}: expected one of ${HOOK_ACTIONS.join(', ')}`);
  }
  if (!(HOOK_KINDS as readonly string[]).includes(kind)) {
    throw new HookError(`unknown kind ${preview(kind ?? '')}: expected one of ${HOOK_KINDS.join(', ')}`);
  }
  const raw = settings.spec;
  if (!raw) throw new HookError('CBR_SPEC is not set: the provisioner passes the spec as jsonencode(self.triggers_replace)');
  let spec: unknown;
  try {
    spec = JSON.parse(raw);
  } catch (err) {
    throw new HookError(`CBR_SPEC is not valid JSON (${(err as Error).message})`);
  }
  if (action === 'claim' && kind !== 'policy') throw new HookError(`the claim action is for kind policy, not ${preview(kind)}`);
  // Before any client is built: a spec of the wrong shape never reaches the API.
  spec = action === 'claim' ? decodeClaim(spec) : decodeSpec(kind as HookKind, spec);
  return { action: action as HookAction, kind: kind as HookKind, key: key ?? settings.key ?? '(unknown construct)', spec, configFile: settings.configFile, runId: settings.terraformPid };
}
