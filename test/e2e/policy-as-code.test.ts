import { Construct } from 'constructs';
import { RemovalPolicy, Vault, VaultObjectType, VaultResource } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { E2eWorkspace } from '../support/e2e';
import { deny } from '../support/plan-policy';

jest.setTimeout(300_000);

interface Shape {
  readonly size?: number;
  readonly scratch?: boolean;
  readonly kept?: boolean;
  readonly web?: string[];
  readonly nested?: boolean;
}

function stack(s: Shape = {}) {
  return (root: Construct) => {
    const scope = s.nested ? new Construct(root, 'Team') : root;
    const prod = new Vault(scope, 'Prod', { vaultName: 'pac-prod', objectType: VaultObjectType.SERVER, size: s.size ?? 100, removalPolicy: RemovalPolicy.DESTROY });
    prod.addResources('Web', (s.web ?? ['srv-1', 'srv-2']).map((id) => VaultResource.server(id)));
    if (s.scratch ?? true) new Vault(root, 'Scratch', { vaultName: 'pac-scratch', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
    if (s.kept ?? true) new Vault(root, 'Kept', { vaultName: 'pac-kept', objectType: VaultObjectType.DISK, size: 40 });
  };
}

/** The README's policy-as-code rule (test/support/plan-policy.ts), on Terraform's own plan JSON of a real stack. */
describe('the policy-as-code rule, on real plan JSON', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('pac');
    await ws.synth(stack());
    await ws.apply();
  });
  afterAll(async () => { await ws?.dispose(); });

  async function verdict(shape: Shape): Promise<string[]> {
    await ws.synth(stack(shape));
    await terraformOk(['plan', '-input=false', '-no-color', '-out=pac.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
    const { stdout } = await terraformOk(['show', '-json', 'pac.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
    return deny(JSON.parse(stdout)).sort();
  }

  test('passes an in-place update, though Terraform replaces the hook entry', async () => {
    expect(await verdict({ size: 200 })).toEqual([]);
  });

  test('passes the removal of a retained vault: the vault and its backups stay', async () => {
    expect(await verdict({ kept: false })).toEqual([]);
  });

  test('denies the removal of a vault whose removalPolicy is DESTROY, and of a resource dissociated', async () => {
    expect(await verdict({ scratch: false, web: ['srv-1'] })).toEqual([
      'terraform_data.cbr_association["Prod/Web/srv-2"]: dissociates the resource, which deletes its backups',
      'terraform_data.cbr_vault["Scratch"]: deletes the vault and its backups',
    ]);
  });

  test('passes a move into another scope: the entries are removed and created again, the objects stay', async () => {
    expect(await verdict({ nested: true })).toEqual([]);
  });
});
