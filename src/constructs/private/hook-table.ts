import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, AssetType, DefaultTokenResolver, StringConcat, TerraformAsset, TerraformElement, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { reportViolation } from './violation';
import { entriesDigest } from '../../contract/entries';
import { splitSpec } from '../../contract/layout';
import {
  DEPLOYMENT_ANCHOR, HOOK_ENTRY, HOOK_KINDS, HookAction, HookKind, identitiesLocal, inputsLocal, POLICY_CLAIMS, SPEC_FORMAT, tableName, VAULT_ORDERS,
} from '../../contract/specs';
import { isTemplated, templatedJson } from '../../contract/templated-json';
import { isToken } from '../../rules/tokens';

/**
 * What each table depends on, for the order of delete hooks: Terraform destroys an entry's
 * dependents first, so relations are removed before their vault or policy is deleted. Creates and
 * updates are ordered by the hook entry itself (src/runtime/batch.ts).
 */
const DEPENDS_ON: Readonly<Record<HookKind, readonly string[]>> = {
  policy: [POLICY_CLAIMS],
  vault: [],
  attachment: [tableName('vault'), tableName('policy')],
  association: [tableName('vault'), tableName('policy')],
  tag: [tableName('vault'), tableName('policy')],
  client: [],
};

/**
 * Replacements are delete-first (DESIGN.md fact 2), and nothing is create-before-destroy: Terraform
 * would force that onto the dependencies of a table (another resource whose id a spec names), and
 * a state written by an earlier release, whose vault, policy and attachment tables were
 * create-before-destroy, could not be upgraded without a dependency cycle. The old entry's delete
 * hook sees its spec and hands it to the hook entry, which renames a policy, moves a resource or a
 * tag, and drops what the new spec no longer names (see handlers/handoff.ts); a vault's delete hook
 * keeps the vault unless the command is `terraform destroy` (handlers/vault.ts).
 */

/** The most resolved JSON one environment variable of the hook entry carries: Linux refuses a value over 128 KiB. */
const RESOLVED_CHUNK = 96 * 1024;
/** The room a value known only at apply is given in an estimate: its JSON is unknown at synth. */
const UNKNOWN_VALUE_ROOM = 512;

/** The entry point, and the runtime it loads when a process runs hooks itself (see src/runtime/hook-main.ts). */
const HOOK_FILES = ['hook.js', 'hook-runtime.js'] as const;

let bundle: { dir: string; hash: string } | undefined;

/**
 * Locates the bundled hook from both the compiled library (lib/) and the sources under test (src/),
 * and hashes it once per process: cdktf would otherwise re-read and re-hash it for every stack.
 */
function hookBundle(): { dir: string; hash: string } {
  if (bundle) return bundle;
  const dir = path.resolve(__dirname, '..', '..', '..', 'assets', 'hook');
  const hash = createHash('sha256');
  for (const file of HOOK_FILES) {
    const candidate = path.join(dir, file);
    if (!fs.existsSync(candidate)) {
      throw new Error(`cdktf-cbr: the hook bundle ${candidate} is missing; run "npx projen bundle:hook" (a packaging bug if you installed from npm)`);
    }
    hash.update(`${file}\0`).update(fs.readFileSync(candidate));
  }
  bundle = { dir, hash: hash.digest('hex').slice(0, 32).toUpperCase() };
  return bundle;
}

/**
 * All constructs of one kind in one stack share ONE terraform_data resource with `for_each` over
 * their stack-relative paths (see DESIGN.md "Lifecycle mechanism"): removing a construct removes its
 * key, which runs its delete hook; changing its spec replaces the instance, which runs the apply hook.
 */
export class HookTable {
  /** Returns the stack's table for `kind`, creating every kind's table on first use. */
  public static of(scope: IConstruct, kind: HookKind): HookTable {
    return HookTables.of(scope).table(kind);
  }

  /**
   * Registers a Policy's claim on its name (see PolicyClaimSpec). Claims are keyed by the name, so
   * a Policy that moves to another path keeps its claim; a name from a token is known only at
   * apply, so its claim is keyed by the construct path instead (`path:` cannot start a policy name).
   */
  public static claimPolicyName(scope: IConstruct, key: string, name: string, adopt: boolean, at: { region: string; project_id: string }): void {
    const tables = HookTables.of(scope);
    const claimKey = isToken(name) ? `path:${key}` : name;
    tables.claims.set(claimKey, { name, adopt, ...at });
  }

  private readonly registered: Array<{ owner: IConstruct; key: () => string; spec: () => unknown }> = [];

  constructor(public readonly kind: HookKind) {}

  /**
   * Adds one spec of `owner`, rendered at synth time. `key` is the owner's stack-relative path, or
   * a function rendering it at synth too (it may name a token's expression, final only once the
   * whole app is built).
   */
  public register(owner: IConstruct, key: string | (() => string), spec: () => unknown): void {
    this.registered.push({ owner, key: typeof key === 'function' ? key : () => key, spec });
  }

  /**
   * The entries by key, sorted so that the synthesized JSON does not depend on construction order,
   * each spec split into its entry's two parts (src/contract/layout.ts) as JSON text, values known
   * only at apply as Terraform templates. A key or a spec holding Terraform template text fails
   * with its owner's path (see refuseTemplates).
   */
  public entries(): RenderedEntry[] {
    const all = new Map<string, { owner: IConstruct; spec: () => unknown }>();
    for (const { owner, key, spec } of this.registered) {
      const k = key();
      if (all.has(k)) throw new Error(`cdktf-cbr: ${k} is registered twice in the hook table`);
      all.set(k, { owner, spec });
    }
    return [...all].sort(([a], [b]) => a.localeCompare(b)).map(([key, { owner, spec }]) => {
      const raw = spec() as Record<string, unknown>;
      refuseTemplates(owner, '', raw);
      refuseTemplateKey(owner, this.kind, key);
      const resolved = Tokenization.resolve(raw, { scope: owner, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
      const parts = splitSpec(this.kind, resolved, SPEC_FORMAT);
      return { key, input: templatedJson(parts.input), identity: templatedJson(parts.identity), prePaid: raw.charging_mode === 'pre_paid' };
    });
  }
}

/** One entry of a table as synthesized. */
interface RenderedEntry {
  readonly key: string;
  /** JSON text of the fields the API updates in place. */
  readonly input: string;
  /** JSON text of the fields that identify the object. */
  readonly identity: string;
  /** A yearly/monthly vault: ordered once, by an entry of its own. */
  readonly prePaid: boolean;
}

const TABLES_ID = 'cbr_hooks';
const CONFIG_FILE = '${path.module}/cdk.tf.json';

/**
 * Terraform evaluates `${...}` and `%{...}` in every string of the configuration, so a prop holding
 * such text literally would reach the API as something else than what synth checked (a name
 * `%{ if true }x%{ endif }` becomes `x`). Tokens are the way to pass Terraform's values, and get
 * the same checks in the hook; literal template text is refused.
 */
function refuseTemplates(owner: IConstruct, field: string, value: unknown): void {
  if (isToken(value)) return;
  if (typeof value === 'string') {
    reportViolation(owner, /[$%]\{/.test(value) ? {
      field,
      value,
      rule: 'Terraform would evaluate its "${" or "%{" sequence, so the API would receive other text than the text checked at synth',
      fix: 'Remove the sequence; for a value Terraform computes, pass a token (a TerraformVariable, another resource\'s attribute or an Fn call), which the hook checks at apply.',
    } : undefined);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseTemplates(owner, `${field}[${i}]`, v));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      refuseTemplates(owner, field ? `${field}.${k}` : k, k);
      refuseTemplates(owner, field ? `${field}.${k}` : k, v);
    }
  }
}

/**
 * Terraform evaluates template sequences in for_each keys too: a construct id
 * `%{ if true }x%{ endif }` would become the key `x`, and the hooks would take that entry for
 * another construct's (a delete hook that believes its vault moved keeps a vault it should delete).
 */
function refuseTemplateKey(owner: IConstruct, kind: HookKind, key: string): void {
  reportViolation(owner, /[$%]\{/.test(key) ? {
    field: 'id',
    value: key,
    rule: `the construct path is the key of its entry in terraform_data.${tableName(kind)}, and Terraform would evaluate its "\${" or "%{" sequence, ` +
      'so the key would name another construct',
    fix: 'Give the construct (or the scope above it) an id without "${" or "%{".',
  } : undefined);
}

/** `target` with `overrides` (TerraformElement.addOverride's tree) merged in; an undefined value removes the key. */
function withOverrides(target: Record<string, any>, overrides: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...target };
  for (const [key, value] of Object.entries(overrides)) {
    const isTree = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (value === undefined) delete out[key];
    else if (isTree(value) && isTree(out[key])) out[key] = withOverrides(out[key], value);
    else out[key] = value;
  }
  return out;
}


/**
 * The stack's tables, rendered as plain JSON by one element: the anchor, one table per kind whose
 * entries stand for the cloud objects, the claims on policy names, the orders of yearly/monthly
 * vaults, and the hook entry. DataResource and TerraformLocal constructs with their tokens cost
 * ~8 ms per synth, which dominated small stacks.
 */
class HookTables extends TerraformElement {
  public static of(scope: IConstruct): HookTables {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(TABLES_ID) as HookTables | undefined) ?? new HookTables(stack);
  }

  /** Policy-name claims by claim key. */
  /** Each with its policy's region and project ('' for the terraform run's): the claim hook looks for the name there. */
  public readonly claims = new Map<string, { name: string; adopt: boolean; region: string; project_id: string }>();
  private readonly tables: HookTable[];
  private readonly hookPath: string;

  constructor(stack: TerraformStack) {
    super(stack, TABLES_ID);
    // All kinds exist together: a kind's table (an empty map) stays after its last construct is
    // removed, so that removal still runs delete hooks instead of orphaning the cloud objects (DESIGN.md fact 5).
    this.tables = HOOK_KINDS.map((kind) => new HookTable(kind));
    const { dir, hash } = hookBundle();
    const asset = new TerraformAsset(stack, 'cbr_hook', { path: dir, type: AssetType.DIRECTORY, assetHash: hash });
    this.hookPath = `${asset.path}/${HOOK_FILES[0]}`;
  }

  public table(kind: HookKind): HookTable {
    return this.tables.find((t) => t.kind === kind)!;
  }

  public toTerraform(): any {
    // App.hclOutput also reflects SYNTH_HCL_OUTPUT; cdktf then writes cdk.tf, where the hooks do not
    // look. Every synth calls toTerraform first (prepareStack), HCL output included.
    const app = this.node.root;
    const stack = TerraformStack.of(this);
    reportViolation(stack, App.isApp(app) && app.hclOutput ? {
      field: 'hclOutput',
      value: true,
      rule: 'the hooks and `cdktf-cbr drift` read the synthesized cdk.tf.json, so a stack with cdktf-cbr constructs must be synthesized as JSON',
      fix: 'Remove hclOutput from the App and unset SYNTH_HCL_OUTPUT.',
    } : undefined);
    const resources: Record<string, unknown> = {};
    const locals: Record<string, unknown> = {};
    // The deployment anchor: no triggers, so its random id lasts as long as the state (DESIGN.md fact 9).
    resources[DEPLOYMENT_ANCHOR] = { '//': { metadata: { path: this.node.path, uniqueId: DEPLOYMENT_ANCHOR } } };
    const templated: Templated[] = [];
    const orders: string[] = [];
    for (const table of this.tables) {
      const inputs: Record<string, string> = {};
      const identities: Record<string, string> = {};
      for (const entry of table.entries()) {
        inputs[entry.key] = entry.input;
        identities[entry.key] = entry.identity;
        if (isTemplated(entry.input) || isTemplated(entry.identity)) {
          const unknowns = `${entry.input}${entry.identity}`.split('${').length - 1;
          templated.push({ kind: table.kind, key: entry.key, size: entry.input.length + entry.identity.length + unknowns * UNKNOWN_VALUE_ROOM });
        }
        if (entry.prePaid) orders.push(entry.key);
      }
      locals[inputsLocal(table.kind)] = inputs;
      locals[identitiesLocal(table.kind)] = identities;
      resources[tableName(table.kind)] = this.objectTable(table.kind);
    }
    resources[POLICY_CLAIMS] = this.claimResource();
    locals[POLICY_CLAIMS] = Object.fromEntries([...this.claims].sort(([a], [b]) => a.localeCompare(b)));
    resources[VAULT_ORDERS] = this.orderTable();
    locals[VAULT_ORDERS] = Object.fromEntries(orders.map((key) => [key, key]));
    const filled = this.tables.filter((t) => Object.keys(locals[inputsLocal(t.kind)] as object).length > 0).map((t) => t.kind);
    resources[HOOK_ENTRY] = this.hookEntry(stack.node.id, templated, filled);
    // addOverride works here as on any element (paths from `resource.terraform_data.cbr_<kind>...` or `locals...`).
    const out = withOverrides({ resource: { terraform_data: resources }, locals }, this.rawOverrides);
    // Over the entries as written, overrides included: what the hook entry will read in cdk.tf.json.
    const environment = out.resource?.terraform_data?.[HOOK_ENTRY]?.provisioner?.[0]?.['local-exec']?.environment;
    if (environment && environment.CBR_DIGEST === DIGEST_PLACEHOLDER) environment.CBR_DIGEST = entriesDigest(out);
    return out;
  }

  private hook(action: HookAction, kind: HookKind | 'stack'): string[] {
    return ['node', `\${path.module}/${this.hookPath}`, action, kind];
  }

  /**
   * The policy-name claims: one entry per name, made when the name first appears in this
   * deployment (handlers/policy.ts claimPolicy). Only the name and the deployment replace an entry:
   * `adopt` is `input`, which a later change updates without running the hook again. A claim is
   * placed once and must not be repeated when it fails, so it is an entry (and a process) of its
   * own: Terraform records a hook's success only for the entry whose provisioner ran it.
   */
  private claimResource(): Record<string, unknown> {
    // The location travels in the claim's spec only, resolved when the claim is made: the entry stays as earlier releases wrote it.
    const at = 'region = each.value.region, project_id = each.value.project_id';
    const spec = `\${jsonencode(merge(self.triggers_replace, { adopt = self.input, spec_format = ${SPEC_FORMAT}, ${at} }))}`;
    return {
      '//': { metadata: { path: this.node.path, uniqueId: POLICY_CLAIMS } },
      'for_each': `\${local.${POLICY_CLAIMS}}`,
      'lifecycle': { create_before_destroy: true },
      'provisioner': [
        { 'local-exec': { interpreter: this.hook('claim', 'policy'), command: '${each.key}', environment: { CBR_SPEC: spec, CBR_CONFIG_FILE: CONFIG_FILE } } },
      ],
      'input': '${each.value.adopt}',
      'triggers_replace': `\${{ name = each.value.name, deployment = terraform_data.${DEPLOYMENT_ANCHOR}.id }}`,
    };
  }

  /**
   * The entries of one kind: one per cloud object, keyed by construct path, created and updated in
   * place by Terraform as a provider's resources are (src/contract/layout.ts). Their only hook is
   * the delete hook: the spec reaches it through the environment and the key as a plain argument,
   * so no shell parses either; CBR_CONFIG_FILE lets it tell `terraform destroy` (key still declared)
   * from a removed or moved construct.
   */
  private objectTable(kind: HookKind): Record<string, unknown> {
    const environment = { CBR_SPEC: '${jsonencode([self.input, self.triggers_replace])}', CBR_CONFIG_FILE: CONFIG_FILE };
    return {
      '//': { metadata: { path: this.node.path, uniqueId: tableName(kind) } },
      ...(DEPENDS_ON[kind].length > 0 ? { depends_on: DEPENDS_ON[kind].map((t) => `terraform_data.${t}`) } : {}),
      // The entries live in a local, evaluated once. As a literal in for_each, Terraform re-decodes the
      // whole map for every instance: 200 vaults took 38 s of Terraform time instead of 6 s.
      'for_each': `\${local.${inputsLocal(kind)}}`,
      'input': '${each.value}',
      // The deployment is the same on every apply and still there on destroy (DESIGN.md fact 9).
      'triggers_replace': [`\${terraform_data.${DEPLOYMENT_ANCHOR}.id}`, `\${local.${identitiesLocal(kind)}[each.key]}`],
      'provisioner': [{ 'local-exec': { when: 'destroy', interpreter: this.hook('delete', kind), command: '${each.key}', environment } }],
    };
  }

  /**
   * One entry per yearly/monthly vault, whose hook orders it (4.5.14). An order must be placed
   * exactly once: the entry has no triggers, so only its creation (or `-replace`) orders, and a
   * failed order taints it for the next apply to try again, where the hook entry could not tell an
   * order placed earlier from one never placed (the API lists no pending orders).
   */
  private orderTable(): Record<string, unknown> {
    const spec = `\${jsonencode([local.${inputsLocal('vault')}[each.key], [terraform_data.${DEPLOYMENT_ANCHOR}.id, local.${identitiesLocal('vault')}[each.key]]])}`;
    return {
      '//': { metadata: { path: this.node.path, uniqueId: VAULT_ORDERS } },
      'for_each': `\${local.${VAULT_ORDERS}}`,
      'provisioner': [
        { 'local-exec': { interpreter: this.hook('order', 'vault'), command: '${each.key}', environment: { CBR_SPEC: spec, CBR_CONFIG_FILE: CONFIG_FILE } } },
      ],
    };
  }

  /**
   * The hook entry: replaced whenever an object entry is added, updated or replaced (not when one
   * is only removed: its delete hook does that), and its provisioner applies every object of the
   * stack in one process (src/runtime/batch.ts). It reads the entries from cdk.tf.json, and only
   * the values known at apply from its environment, so its size does not grow with the stack.
   */
  private hookEntry(stackName: string, templated: readonly Templated[], filled: readonly HookKind[]): Record<string, unknown> {
    const tables = HOOK_KINDS.map((k) => `terraform_data.${tableName(k)}`);
    const environment: Record<string, string> = {
      CBR_DEPLOYMENT: `\${terraform_data.${DEPLOYMENT_ANCHOR}.id}`,
      CBR_CONFIG_FILE: CONFIG_FILE,
      CBR_DIGEST: DIGEST_PLACEHOLDER,
    };
    resolvedChunks(templated).forEach((chunk, i) => {
      environment[i === 0 ? 'CBR_RESOLVED' : `CBR_RESOLVED_${i + 1}`] = chunk;
    });
    return {
      '//': { metadata: { path: this.node.path, uniqueId: HOOK_ENTRY } },
      'depends_on': [...tables, `terraform_data.${POLICY_CLAIMS}`, `terraform_data.${VAULT_ORDERS}`],
      // New keys: replace_triggered_by fires on updates and replacements of entries, not on creations.
      'triggers_replace': `\${sha256(jsonencode([${HOOK_KINDS.map((k) => `keys(local.${inputsLocal(k)})`).join(', ')}]))}`,
      // Only tables with entries: Terraform 1.11 fails an apply whose replace_triggered_by names a table without
      // instances ("no change found"), and a table that loses its last entry has only removals, which need no run.
      ...(filled.length > 0 ? { lifecycle: { replace_triggered_by: filled.map((k) => `terraform_data.${tableName(k)}`) } } : {}),
      'provisioner': [{ 'local-exec': { interpreter: this.hook('apply', 'stack'), command: stackName, environment } }],
    };
  }
}

/** An entry with values known only at apply, and the room its resolved JSON is estimated to take. */
interface Templated {
  readonly kind: HookKind;
  readonly key: string;
  readonly size: number;
}

/** Stands for the digest until the final configuration is known (toTerraform). */
const DIGEST_PLACEHOLDER = '(entries digest)';

/**
 * The values known only at apply, of the entries that hold any, as Terraform renders them: one
 * JSON object `{kind: {key: [input, identity]}}` per environment variable of at most RESOLVED_CHUNK.
 */
function resolvedChunks(templated: readonly Templated[]): string[] {
  const chunks: Templated[][] = [];
  let size = Infinity;
  for (const entry of templated) {
    if (size + entry.size > RESOLVED_CHUNK) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(entry);
    size += entry.size;
  }
  return chunks.map((chunk) => {
    const kinds = HOOK_KINDS.filter((k) => chunk.some((e) => e.kind === k)).map((kind) => {
      const keys = chunk.filter((e) => e.kind === kind).map((e) => {
        const key = JSON.stringify(e.key);
        return `${key} = [local.${inputsLocal(kind)}[${key}], local.${identitiesLocal(kind)}[${key}]]`;
      });
      return `${kind} = { ${keys.join(', ')} }`;
    });
    return `\${jsonencode({ ${kinds.join(', ')} })}`;
  });
}
