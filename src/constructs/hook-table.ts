import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetType, DataResource, Lazy, TerraformAsset, TerraformLocal, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HookKind, specsLocalName } from '../runtime/specs';

/** Kinds in API order: a kind's hooks run after every kind before it on apply, and before them on destroy. */
const KIND_ORDER: readonly HookKind[] = ['policy', 'vault', 'attachment', 'association', 'tag', 'client'];

const HOOK_BUNDLE = 'hook.js';

let bundle: { path: string; hash: string } | undefined;

/**
 * Locates the bundled hook from both the compiled library (lib/) and the sources under test (src/),
 * and hashes it once per process: cdktf would otherwise re-read and re-hash it for every stack.
 */
function hookBundle(): { path: string; hash: string } {
  if (bundle) return bundle;
  const candidate = path.resolve(__dirname, '..', '..', 'assets', 'hook', HOOK_BUNDLE);
  if (!fs.existsSync(candidate)) {
    throw new Error(`cdktf-cbr: the hook bundle ${candidate} is missing; run "npx projen bundle:hook" (a packaging bug if you installed from npm)`);
  }
  const hash = createHash('sha256').update(fs.readFileSync(candidate)).digest('hex').slice(0, 32).toUpperCase();
  bundle = { path: candidate, hash };
  return bundle;
}

/**
 * All constructs of one kind in one stack share ONE terraform_data resource with `for_each` over
 * their stack-relative paths (see DESIGN.md "Lifecycle mechanism"): removing a construct removes its
 * key, which runs its delete hook; changing its spec replaces the instance, which runs the apply hook.
 */
export class HookTable extends Construct {
  /** Returns the stack's table for `kind`, creating every kind's table on first use. */
  public static of(scope: IConstruct, kind: HookKind): HookTable {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(tableId(kind));
    if (existing) return existing as HookTable;
    // Creating all kinds together keeps a kind's table (empty map) after its last construct is removed,
    // so that removal still runs delete hooks instead of orphaning the cloud objects (DESIGN.md fact 5).
    const { path: bundlePath, hash } = hookBundle();
    const asset = new TerraformAsset(stack, 'cbr_hook', { path: bundlePath, type: AssetType.FILE, assetHash: hash });
    let previous: HookTable | undefined;
    for (const k of KIND_ORDER) {
      const table: HookTable = new HookTable(stack, k, asset, previous);
      previous = table;
    }
    return stack.node.findChild(tableId(kind)) as HookTable;
  }

  public readonly resource: DataResource;
  private readonly entries = new Map<string, () => unknown>();

  private constructor(stack: TerraformStack, kind: HookKind, asset: TerraformAsset, after: HookTable | undefined) {
    super(stack, tableId(kind));
    const hook = ['node', `\${path.module}/${asset.path}`];
    // The spec reaches the hook through the environment and the key as a plain argument: no shell parses either.
    // Only triggers_replace carries the spec: `input` would be echoed into the computed `output`
    // and print every field twice more in each plan. Destroy provisioners read self.triggers_replace.
    // CBR_CONFIG_FILE lets a delete hook tell `terraform destroy` (key still declared) from a removed construct.
    const environment = { CBR_SPEC: '${jsonencode(self.triggers_replace)}', CBR_CONFIG_FILE: '${path.module}/cdk.tf.json' };
    this.resource = new DataResource(this, 'table', {
      dependsOn: after ? [after.resource] : undefined,
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        { type: 'local-exec', interpreter: [...hook, 'apply', kind], command: '${each.key}', environment },
        { type: 'local-exec', when: 'destroy', interpreter: [...hook, 'delete', kind], command: '${each.key}', environment },
      ],
    });
    this.resource.overrideLogicalId(`cbr_${kind}`);
    const specs = Lazy.anyValue({
      produce: () => Object.fromEntries([...this.entries].sort(([a], [b]) => a.localeCompare(b)).map(([k, spec]) => [k, spec()])),
    });
    // The specs live in a local, evaluated once. As a literal in for_each, Terraform re-decodes the
    // whole map for every instance: 200 vaults took 38 s of Terraform time instead of 6 s.
    const local = new TerraformLocal(this, 'specs', specs);
    local.overrideLogicalId(specsLocalName(kind));
    this.resource.addOverride('for_each', `\${local.${specsLocalName(kind)}}`);
    this.resource.addOverride('triggers_replace', '${each.value}');
  }

  /** Adds one construct's spec, rendered at synth time; `key` is its stack-relative path. */
  public register(key: string, spec: () => unknown): void {
    if (this.entries.has(key)) throw new Error(`cdktf-cbr: ${key} is registered twice in the hook table`);
    this.entries.set(key, spec);
  }
}

function tableId(kind: HookKind): string {
  return `cbr_${kind}_hooks`;
}
