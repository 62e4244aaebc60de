import { decodeSpec } from '../contract/decode';
import { entriesDigest, EntryTexts, entrySpec, entryTexts, stackNameOf } from '../contract/entries';
import { AttachmentSpec, HOOK_KINDS, HOOK_ENTRY, HookKind, PolicyRef, PolicySpec, VaultRef } from '../contract/specs';
import { isTemplated } from '../contract/templated-json';
import { policyPlaceViolation } from '../rules/location';
import { violationText } from '../rules/violation';
import type { HookContext } from './handlers/context';
import { HookError } from './handlers/context';
import { fileHandoff } from './handlers/handoff';
import type { HookClients, HookOutput, KindHandler } from './hook';
import { clientFor, HANDLERS, readConfig, withListings } from './hook';
import type { Env, Settings } from './settings';

/**
 * The hook entry (`terraform_data.cbr_hooks`): one process applies every object of the stack, in
 * API order (policies, vaults, then their relations; HBR clients beside them), with bounded
 * concurrency and the same ensure semantics as one object's hook: read the live object, compare,
 * then create, update in place, or do nothing. Terraform replaces the entry whenever an object
 * entry is added or changes; which objects changed it cannot say, so every object is compared,
 * from one listing of the project's vaults and one of its policies (CachedCbrClient).
 *
 * A spec that breaks a rule stops the run before any API call, as a literal breaking it fails
 * synth. Otherwise one object failing does not stop the others: the objects that depend on it are
 * skipped, every failure is named, and the entry fails, so the next apply runs it again and
 * finishes the rest.
 */

export interface StackRun {
  readonly settings: Settings;
  readonly env: Env;
  readonly clients: HookClients;
  readonly output: HookOutput;
  /** Holds the run back before a kind, for tests of the order of hooks. */
  readonly testDelay?: (kind: HookKind) => Promise<void>;
}

/** One object of the stack, decoded. */
interface Member {
  readonly kind: HookKind;
  readonly key: string;
  readonly spec: any;
}

/** The phases, in API order; the kinds of one phase have no order between them. */
const CBR_PHASES: readonly (readonly HookKind[])[] = [['policy'], ['vault'], ['attachment', 'association', 'tag']];
const HBR_PHASES: readonly (readonly HookKind[])[] = [['client']];

export async function applyStack(run: StackRun): Promise<number> {
  const { settings, output } = run;
  const config = readConfig(settings.configFile) as any;
  if (config === undefined) {
    throw new HookError(`the synthesized configuration ${settings.configFile ?? '(CBR_CONFIG_FILE is not set)'} cannot be read; the hook entry runs from terraform apply in the stack's folder`);
  }
  if (settings.digest !== entriesDigest(config)) {
    throw new HookError(`${settings.configFile} is not the configuration Terraform is applying (it was synthesized again after the plan): ` +
      'synthesize, plan and apply from one cdktf.out, then apply again');
  }
  if (!settings.deployment) throw new HookError('CBR_DEPLOYMENT is not set: the hook entry\'s provisioner passes the id of terraform_data.cbr_deployment');
  const resolved = resolvedTexts(settings.resolved);
  const stack = stackNameOf(config);

  const failures = new Map<string, string>();
  const fail = (kind: HookKind, key: string, message: string) => {
    failures.set(`${kind} ${key}`, message);
    output.err(`${kind} ${key}: FAILED: ${message}`);
  };
  const members: Member[] = [];
  const declared: Partial<Record<HookKind, Record<string, unknown>>> = {};
  for (const kind of HOOK_KINDS) {
    // With the values Terraform resolved: what moves and takeovers are judged on.
    const all: Record<string, unknown> = (declared[kind] = {});
    for (const [key, texts] of Object.entries(entryTexts(config, kind) ?? {})) {
      try {
        const [input, identity] = resolved[kind]?.[key] ?? texts;
        if (isTemplated(input) || isTemplated(identity)) throw new HookError('its values from Terraform expressions were not passed to the hook (CBR_RESOLVED)');
        const spec = entrySpec(kind, key, JSON.parse(input), JSON.parse(identity), { deployment: settings.deployment, stack });
        all[key] = spec;
        members.push({ kind, key, spec: decodeSpec(kind, spec) });
      } catch (err) {
        fail(kind, key, (err as Error).message);
      }
    }
  }

  // Synth compares locations known there; values from variables are compared here, resolved.
  for (const m of members) {
    const apart = m.kind === 'attachment' && policyElsewhere(m.spec as AttachmentSpec, members);
    if (apart) fail(m.kind, m.key, apart);
  }

  // A value the synth rules refuse is a mistake in the configuration, as a literal one fails synth:
  // nothing is applied until it is fixed, and no request reaches the API.
  if (failures.size > 0) {
    output.err(`cdktf-cbr: ${failures.size} object${failures.size === 1 ? '' : 's'} cannot be applied as declared (${[...failures.keys()].join(', ')}); ` +
      'nothing was applied. Fix the values and apply again.');
    return 1;
  }

  // Built on first use (a stack of HBR clients only needs no Huawei credentials), one listing per place.
  const clients = withListings(run.clients);
  let done = 0;
  let unchanged = 0;
  const applyOne = async (m: Member): Promise<void> => {
    const blocker = failedDependency(m, failures, declared);
    if (blocker) return fail(m.kind, m.key, `${blocker} failed above; this waits for it`);
    let acted = false;
    const ctx: HookContext = {
      key: m.key,
      stack,
      report: (line) => { acted = true; output.out(line); },
      unchanged: (line, noteworthy) => { if (noteworthy) output.out(line); },
      declared: (kind) => declared[kind],
      handoff: fileHandoff(settings.configFile, settings.terraformPid, m.kind, m.key),
      replacedOnRequest: () => false,
      destroying: () => false,
      clientAt: (at) => clients.cbr(at),
    };
    const handler: KindHandler<any, any> = HANDLERS[m.kind];
    try {
      await handler.apply(clientFor(handler, clients, m.spec), m.spec, ctx, run.env);
      done++;
      if (!acted) unchanged++;
    } catch (err) {
      fail(m.kind, m.key, (err as Error).message);
    }
  };
  const runPhases = async (phases: readonly (readonly HookKind[])[]) => {
    for (const kinds of phases) {
      for (const kind of kinds) await run.testDelay?.(kind);
      await pool(members.filter((m) => kinds.includes(m.kind)), settings.hookConcurrency, applyOne);
    }
  };
  await Promise.all([runPhases(CBR_PHASES), runPhases(HBR_PHASES)]);

  const total = Object.values(declared).reduce((n, entries) => n + Object.keys(entries ?? {}).length, 0);
  if (failures.size === 0) {
    output.out(`cdktf-cbr: ${total} object${total === 1 ? '' : 's'}: ${done - unchanged} changed, ${unchanged} unchanged`);
    return 0;
  }
  // In the order of the stack's entries, whatever order the failures came in.
  const order = HOOK_KINDS.flatMap((kind) => Object.keys(declared[kind] ?? {}).map((key) => `${kind} ${key}`));
  const failed = order.filter((name) => failures.has(name));
  output.err(`cdktf-cbr: ${failures.size} of ${total} objects failed (${failed.join(', ')}); the ${total - failures.size} others are done. ` +
    `Fix these and apply again: terraform_data.${HOOK_ENTRY} runs again and finishes them.`);
  return 1;
}

/** The entries Terraform resolved for the hook entry (CBR_RESOLVED), by kind and key. */
function resolvedTexts(chunks: readonly string[]): Partial<Record<HookKind, Record<string, EntryTexts>>> {
  const out: Partial<Record<HookKind, Record<string, EntryTexts>>> = {};
  for (const chunk of chunks) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(chunk);
    } catch (err) {
      throw new HookError(`CBR_RESOLVED is not valid JSON (${(err as Error).message})`);
    }
    for (const [kind, entries] of Object.entries(parsed as Record<string, Record<string, EntryTexts>>)) {
      Object.assign((out[kind as HookKind] ??= {}), entries);
    }
  }
  return out;
}

/** The vault or policy of this stack that `m` points at and that failed, named as failures are. */
function failedDependency(
  m: Member, failures: ReadonlyMap<string, string>, declared: Partial<Record<HookKind, Record<string, unknown>>>,
): string | undefined {
  // Its vault, and a replication attachment's destination vault.
  for (const vault of [m.spec.vault, m.spec.destination_vault] as Array<VaultRef | undefined>) {
    if (vault?.by === 'path' && failures.has(`vault ${vault.value}`)) return `vault ${vault.value}`;
  }
  const policy = m.spec.policy as PolicyRef | undefined;
  if (policy?.by === 'name') {
    const holder = Object.entries(declared.policy ?? {}).find(([, p]) => (p as { name?: unknown }).name === policy.value)?.[0];
    if (holder !== undefined && failures.has(`policy ${holder}`)) return `policy ${holder}`;
  }
  return undefined;
}

/** The rule synth checks when both are known, on the resolved values: an attachment's policy of this stack is in its vault's region and project. */
function policyElsewhere(spec: AttachmentSpec, members: readonly Member[]): string | undefined {
  if (spec.policy.by !== 'name') return undefined;
  const policy = members.find((p) => p.kind === 'policy' && (p.spec as PolicySpec).name === spec.policy.value)?.spec as PolicySpec | undefined;
  const v = policy && policyPlaceViolation(policy.name, { region: policy.region, projectId: policy.project_id },
    { name: spec.vault.name || spec.vault.value, region: spec.region, projectId: spec.project_id });
  return v && violationText(v);
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
