import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, AssetType, TerraformAsset, TerraformElement, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { reportViolation } from './violation';
import { DEPLOYMENT_ANCHOR, HOOK_KINDS, HookKind, POLICY_CLAIMS, SPEC_FORMAT, specsLocalName } from '../../contract/specs';
import { isToken } from '../../rules/tokens';

/** A kind's hooks run after the kind it follows on apply, and before it on destroy (HOOK_KINDS is in that order). */
const FOLLOWS: Partial<Record<HookKind, HookKind>> = { vault: 'policy', attachment: 'vault', association: 'attachment', tag: 'association' };

/**
 * Kinds whose replaced entries run the old entry's delete hook first, then the new entry's apply
 * hook (DESIGN.md fact 2). An association whose resource id comes from another resource keeps its
 * key when that resource is replaced: only the old entry's delete hook, which runs first, knows the
 * old id, and it hands it over to the new entry's apply hook, which drops the old id (see
 * handlers/association.ts; a tag whose key changes likewise). They end the chain, and nothing with
 * create_before_destroy depends on them: Terraform forces it onto every dependency of a resource
 * that has it. An HBR client's delete calls nothing, so running it first costs nothing, and it can
 * name the instances a replacing spec drops (their clients stay installed).
 */
const REPLACED_FIRST: readonly HookKind[] = ['association', 'tag', 'client'];

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
  public static claimPolicyName(scope: IConstruct, key: string, name: string, adopt: boolean): void {
    const tables = HookTables.of(scope);
    const claimKey = isToken(name) ? `path:${key}` : name;
    tables.claims.set(claimKey, { name, adopt });
  }

  private readonly entries: Array<{ owner: IConstruct; key: () => string; spec: () => unknown }> = [];

  constructor(public readonly kind: HookKind) {}

  /**
   * Adds one spec of `owner`, rendered at synth time. `key` is the owner's stack-relative path, or
   * a function rendering it at synth too (it may name a token's expression, final only once the
   * whole app is built).
   */
  public register(owner: IConstruct, key: string | (() => string), spec: () => unknown): void {
    this.entries.push({ owner, key: typeof key === 'function' ? key : () => key, spec });
  }

  /**
   * The specs by key, sorted so that the synthesized JSON does not depend on construction order.
   * A spec holding Terraform template text fails with its owner's path (see refuseTemplates).
   */
  public specs(): Record<string, unknown> {
    const all = new Map<string, { owner: IConstruct; spec: () => unknown }>();
    for (const { owner, key, spec } of this.entries) {
      const k = key();
      if (all.has(k)) throw new Error(`cdktf-cbr: ${k} is registered twice in the hook table`);
      all.set(k, { owner, spec });
    }
    // Specs outlive the release that wrote them (a delete hook reads the one in state): each names its format.
    return Object.fromEntries([...all].sort(([a], [b]) => a.localeCompare(b)).map(([k, { owner, spec }]) => {
      const rendered = spec() as object;
      refuseTemplates(owner, '', rendered);
      return [k, { spec_format: SPEC_FORMAT, ...rendered }];
    }));
  }
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
 * The stack's six hook tables, rendered as plain JSON by one element. Six DataResource and
 * TerraformLocal constructs with their tokens cost ~8 ms per synth, which dominated small stacks.
 */
class HookTables extends TerraformElement {
  public static of(scope: IConstruct): HookTables {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(TABLES_ID) as HookTables | undefined) ?? new HookTables(stack);
  }

  /** Policy-name claims by claim key. */
  public readonly claims = new Map<string, { name: string; adopt: boolean }>();
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
    reportViolation(TerraformStack.of(this), App.isApp(app) && app.hclOutput ? {
      field: 'hclOutput',
      value: true,
      rule: 'the hooks and `cdktf-cbr drift` read the synthesized cdk.tf.json, so a stack with cdktf-cbr constructs must be synthesized as JSON',
      fix: 'Remove hclOutput from the App and unset SYNTH_HCL_OUTPUT.',
    } : undefined);
    const resources: Record<string, unknown> = {};
    const locals: Record<string, unknown> = {};
    // The deployment anchor: no triggers, so its random id lasts as long as the state (DESIGN.md fact 9).
    resources[DEPLOYMENT_ANCHOR] = { '//': { metadata: { path: this.node.path, uniqueId: DEPLOYMENT_ANCHOR } } };
    for (const table of this.tables) {
      resources[`cbr_${table.kind}`] = this.resource(table.kind, FOLLOWS[table.kind]);
      locals[specsLocalName(table.kind)] = table.specs();
    }
    resources[POLICY_CLAIMS] = this.claimResource();
    locals[POLICY_CLAIMS] = Object.fromEntries([...this.claims].sort(([a], [b]) => a.localeCompare(b)));
    // addOverride works here as on any element (paths from `resource.terraform_data.cbr_<kind>...` or `locals...`).
    return withOverrides({ resource: { terraform_data: resources }, locals }, this.rawOverrides);
  }

  private hook(action: string, kind: HookKind): string[] {
    return ['node', `\${path.module}/${this.hookPath}`, action, kind];
  }

  /**
   * The policy-name claims: one entry per name, made when the name first appears in this
   * deployment (handlers/policy.ts claimPolicy). Only the name and the deployment replace an entry:
   * `adopt` is `input`, which a later change updates without running the hook again.
   */
  private claimResource(): Record<string, unknown> {
    const spec = `\${jsonencode(merge(self.triggers_replace, { adopt = self.input, spec_format = ${SPEC_FORMAT} }))}`;
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

  private resource(kind: HookKind, after: HookKind | undefined): Record<string, unknown> {
    // The spec reaches the hook through the environment and the key as a plain argument: no shell parses either.
    // Only triggers_replace carries the spec: `input` would be echoed into the computed `output`
    // and print every field twice more in each plan. Destroy provisioners read self.triggers_replace.
    // CBR_CONFIG_FILE lets a delete hook tell `terraform destroy` (key still declared) from a removed construct.
    const environment = { CBR_SPEC: '${jsonencode(self.triggers_replace)}', CBR_CONFIG_FILE: CONFIG_FILE };
    const follows = after ? `terraform_data.cbr_${after}` : kind === 'policy' ? `terraform_data.${POLICY_CLAIMS}` : undefined;
    return {
      '//': { metadata: { path: this.node.path, uniqueId: `cbr_${kind}` } },
      ...(follows ? { depends_on: [follows] } : {}),
      // The specs live in a local, evaluated once. As a literal in for_each, Terraform re-decodes the
      // whole map for every instance: 200 vaults took 38 s of Terraform time instead of 6 s.
      'for_each': `\${local.${specsLocalName(kind)}}`,
      'lifecycle': { create_before_destroy: !REPLACED_FIRST.includes(kind) },
      'provisioner': [
        { 'local-exec': { interpreter: this.hook('apply', kind), command: '${each.key}', environment } },
        { 'local-exec': { when: 'destroy', interpreter: this.hook('delete', kind), command: '${each.key}', environment } },
      ],
      // Every entry carries the deployment (`deployment`, src/contract/schemas.ts), the same on every apply and still there on destroy.
      'triggers_replace': `\${merge(each.value, { deployment = terraform_data.${DEPLOYMENT_ANCHOR}.id })}`,
    };
  }
}
