import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformElement, TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource } from '../../src';

/** Every hook table's triggers_replace: the synthesized spec with the stack's deployment merged in. */
const MERGED = '${merge(each.value, { deployment = terraform_data.cbr_deployment.id })}';
const DAILY = () => Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);

function synth(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'backup');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

describe('hook tables', () => {
  test('one terraform_data per kind with for_each over construct paths', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      new Vault(stack, 'Dev', { vaultName: 'dev', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
      new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']) });
    });
    const data = json.resource.terraform_data;
    expect(Object.keys(data).sort()).toEqual([
      'cbr_association', 'cbr_attachment', 'cbr_client', 'cbr_deployment', 'cbr_policy', 'cbr_policy_claim', 'cbr_tag', 'cbr_vault',
    ]);
    const vaults = data.cbr_vault;
    // for_each iterates a local: evaluated once, where a literal map is re-decoded for every instance.
    expect(vaults.for_each).toBe('${local.cbr_vault_specs}');
    const vaultSpecs = json.locals.cbr_vault_specs;
    expect(Object.keys(vaultSpecs)).toEqual(['Dev', 'Prod']);
    expect(vaults.input).toBeUndefined();
    expect(vaults.triggers_replace).toBe(MERGED);
    expect(vaults.lifecycle).toEqual({ create_before_destroy: true });
    expect(vaults.depends_on).toEqual(['terraform_data.cbr_policy']);
    // The synthesized spec names its format and carries no deployment: Terraform merges that in.
    expect(vaultSpecs.Prod).toEqual({
      spec_format: 3,
      legacy_owner: expect.stringMatching(/^o-[0-9a-f]{40}$/),
      name: 'prod',
      description: '',
      object_type: 'server',
      protect_type: 'backup',
      consistent_level: 'crash_consistent',
      cloud_type: 'public',
      charging_mode: 'post_paid',
      period_type: '',
      period_num: 0,
      is_auto_renew: false,
      is_auto_pay: false,
      size: 100,
      is_multi_az: false,
      auto_expand: false,
      auto_bind: false,
      bind_rules: {},
      threshold: 80,
      smn_notify: true,
      backup_name_prefix: '',
      enterprise_project_id: '0',
      removal_policy: 'retain',
      adopt: false,
    });
    expect(vaultSpecs.Dev.removal_policy).toBe('destroy');
    // Policies run after the claims on their names; relations after the objects they point at, in API order.
    expect(data.cbr_policy.depends_on).toEqual(['terraform_data.cbr_policy_claim']);
    expect(data.cbr_attachment.depends_on).toEqual(['terraform_data.cbr_vault']);
    expect(data.cbr_association.depends_on).toEqual(['terraform_data.cbr_attachment']);
    expect(data.cbr_tag.depends_on).toEqual(['terraform_data.cbr_association']);
    expect(data.cbr_client.depends_on).toBeUndefined();
    // A replaced association, tag or HBR client runs its old entry's delete hook first, which hands the old spec to
    // the new entry. They end the chain: Terraform forces create_before_destroy onto the dependencies of a table that has it.
    const cbd = Object.fromEntries(Object.entries<any>(data).filter(([k]) => k !== 'cbr_deployment').map(([k, t]) => [k, t.lifecycle.create_before_destroy]));
    expect(cbd).toEqual({
      cbr_policy_claim: true, cbr_policy: true, cbr_vault: true, cbr_attachment: true, cbr_association: false, cbr_tag: false, cbr_client: false,
    });
    // The deployment anchor has no lifecycle, triggers or input: nothing ever replaces it.
    expect(data.cbr_deployment).toEqual({});
  });

  test('addOverride on the hook tables reaches the synthesized JSON, as on any element', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      const tables = stack.node.findChild('cbr_hooks') as TerraformElement;
      tables.addOverride('resource.terraform_data.cbr_vault.lifecycle.prevent_destroy', true);
      tables.addOverride('resource.terraform_data.cbr_tag.provisioner', undefined);
    });
    const data = json.resource.terraform_data;
    expect(data.cbr_vault.lifecycle).toEqual({ create_before_destroy: true, prevent_destroy: true });
    expect(data.cbr_vault.for_each).toBe('${local.cbr_vault_specs}');
    expect(data.cbr_tag.provisioner).toBeUndefined();
    expect(data.cbr_tag.for_each).toBe('${local.cbr_tag_specs}');
  });

  test('provisioners run the bundled hook without a shell and pass the spec through the environment', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
    });
    const [create, destroy] = json.resource.terraform_data.cbr_vault.provisioner;
    const hookPath = expect.stringMatching(/^\$\{path\.module\}\/assets\/cbr_hook\/[0-9A-F]+\/hook\.js$/);
    expect(create).toEqual({
      'local-exec': {
        interpreter: ['node', hookPath, 'apply', 'vault'],
        command: '${each.key}',
        environment: { CBR_SPEC: '${jsonencode(self.triggers_replace)}', CBR_CONFIG_FILE: '${path.module}/cdk.tf.json' },
      },
    });
    expect(destroy).toEqual({
      'local-exec': {
        when: 'destroy',
        interpreter: ['node', hookPath, 'delete', 'vault'],
        command: '${each.key}',
        environment: { CBR_SPEC: '${jsonencode(self.triggers_replace)}', CBR_CONFIG_FILE: '${path.module}/cdk.tf.json' },
      },
    });
  });

  test('the policy spec carries the API fields and plain-language summaries', () => {
    const json = synth((stack) => {
      new Policy(stack, 'Nightly', {
        policyName: 'nightly',
        schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=0']),
        retention: Retention.days(30),
      });
    });
    const spec = json.locals.cbr_policy_specs.Nightly;
    expect(spec).toMatchObject({
      name: 'nightly',
      operation_type: 'backup',
      enabled: true,
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=0'],
      operation_definition: { retention_duration_days: 30 },
      removal_policy: 'destroy',
    });
    expect(typeof spec.schedule_summary).toBe('string');
    expect(typeof spec.retention_summary).toBe('string');
  });

  test('a stack with only policies still has an empty vault table, so removing the last vault runs its delete hook', () => {
    const json = synth((stack) => {
      new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=0']) });
    });
    expect(json.locals.cbr_vault_specs).toEqual({});
  });

  test('default names derive from the stack and construct path', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { objectType: VaultObjectType.SERVER, size: 100 });
    });
    expect(json.locals.cbr_vault_specs.Prod.name).toMatch(/^backup-Prod-[0-9a-f]{8}$/);
  });

  describe('fails when the stack is synthesized as HCL, which the hooks and the drift command cannot read', () => {
    const message = 's: hclOutput true is invalid: the hooks and `cdktf-cbr drift` read the synthesized cdk.tf.json, so a stack with cdktf-cbr constructs ' +
      'must be synthesized as JSON. Remove hclOutput from the App and unset SYNTH_HCL_OUTPUT.';
    const synthHcl = (appProps: { hclOutput?: boolean }) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-hcl-'));
      try {
        const app = new App({ ...appProps, outdir });
        new Vault(new TerraformStack(app, 's'), 'V', { objectType: VaultObjectType.SERVER, size: 100 });
        app.synth();
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };
    test('App({ hclOutput: true })', () => {
      expect(() => synthHcl({ hclOutput: true })).toThrow(message);
    });
    test('SYNTH_HCL_OUTPUT=true', () => {
      process.env.SYNTH_HCL_OUTPUT = 'true';
      try {
        expect(() => synthHcl({})).toThrow(message);
      } finally {
        delete process.env.SYNTH_HCL_OUTPUT;
      }
    });
  });

  test('fails when two vaults in one app claim the same name', () => {
    const app = new App();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    new Vault(a, 'One', { vaultName: 'shared', objectType: VaultObjectType.SERVER, size: 100 });
    expect(() => new Vault(b, 'Two', { vaultName: 'shared', objectType: VaultObjectType.SERVER, size: 100 }))
      .toThrow('b/Two: vaultName "shared" is invalid: vault name "shared" is already managed by a/One, and two constructs cannot manage one cloud object. Give one of them another vaultName.');
  });

  describe('fails when a string prop holds Terraform template text, which Terraform would evaluate before the API sees it', () => {
    const fix = 'Terraform would evaluate its "${" or "%{" sequence, so the API would receive other text than the text checked at synth. ' +
      'Remove the sequence; for a value Terraform computes, pass a token (a TerraformVariable, another resource\'s attribute or an Fn call), which the hook checks at apply.';
    const synthVault = (props: Partial<ConstructorParameters<typeof Vault>[2]>) => synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, ...props });
    });
    test('a %{ } directive in the vault name', () => {
      expect(() => synthVault({ vaultName: '%{ if true }x%{ endif }' })).toThrow(`backup/Prod: name "%{ if true }x%{ endif }" is invalid: ${fix}`);
    });
    test('a %{ for } directive in the description', () => {
      expect(() => synthVault({ description: '%{ for i in range(300) }ab%{ endfor }' }))
        .toThrow(`backup/Prod: description "%{ for i in range(300) }ab%{ endfor }" is invalid: ${fix}`);
    });
    test('a ${ } interpolation in the backup name prefix', () => {
      expect(() => synthVault({ backupNamePrefix: 'nightly-${var.env}' })).toThrow(`backup/Prod: backup_name_prefix "nightly-\${var.env}" is invalid: ${fix}`);
    });
    test('a ${ } interpolation in a resource id, named with the association\'s path', () => {
      expect(() => synth((stack) => {
        const vault = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
        vault.addResources('Web', [VaultResource.server('srv-${var.n}')]);
      })).toThrow(`backup/Prod/Web: resource_id "srv-\${var.n}" is invalid: ${fix}`);
    });
    test('a token is passed through as the expression', () => {
      const json = synth((stack) => {
        const name = new TerraformVariable(stack, 'name', { type: 'string' });
        new Vault(stack, 'Prod', { vaultName: name.stringValue, description: `for ${name.stringValue}`, objectType: VaultObjectType.SERVER, size: 100 });
      });
      expect(json.locals.cbr_vault_specs.Prod).toMatchObject({ name: '${var.name}', description: 'for ${var.name}' });
    });
  });

  test('fails when the vault size is out of range', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => new Vault(stack, 'V', { objectType: VaultObjectType.SERVER, size: 5 }))
      .toThrow('s/V: size 5 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.');
  });

  test('the legacy owner tag differs between stacks and survives a vault rename', () => {
    const owners = (stackName: string, vaultName: string) => {
      const app = Testing.app();
      const stack = new TerraformStack(app, stackName);
      new Vault(stack, 'Prod', { vaultName, objectType: VaultObjectType.SERVER, size: 100 });
      return JSON.parse(Testing.synth(stack)).locals.cbr_vault_specs.Prod.legacy_owner;
    };
    expect(owners('a', 'x')).toMatch(/^o-[0-9a-f]{40}$/);
    expect(owners('a', 'x')).toBe(owners('a', 'y'));
    expect(owners('a', 'x')).not.toBe(owners('b', 'x'));
    // The very value formats 1-2 stored as `owner` for this construct (test/fixtures/upgrade-from-1b83c42, stack "upgrade").
    expect(owners('upgrade', 'up-prod')).toBe('o-c867df78491e5468853b7c393f6494809b704ab8');
  });

  describe('the deployment anchor and the policy-name claims', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY() });
    });
    const data = json.resource.terraform_data;
    const hookPath = expect.stringMatching(/^\$\{path\.module\}\/assets\/cbr_hook\/[0-9A-F]+\/hook\.js$/);

    test('terraform_data.cbr_deployment: an empty resource whose id lasts as long as the state', () => {
      expect(data.cbr_deployment).toEqual({});
      // With its metadata (which Testing.synth strips), still nothing that could replace it.
      const stack = new TerraformStack(Testing.app(), 'backup');
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      expect(stack.toTerraform().resource.terraform_data.cbr_deployment).toEqual({
        '//': { metadata: { path: 'backup/cbr_hooks', uniqueId: 'cbr_deployment' } },
      });
    });

    test('every hook table merges the deployment into the spec the hook receives', () => {
      for (const kind of ['policy', 'vault', 'attachment', 'association', 'tag', 'client']) {
        expect([kind, data[`cbr_${kind}`].triggers_replace]).toEqual([kind, MERGED]);
        expect([kind, data[`cbr_${kind}`].input]).toEqual([kind, undefined]);
      }
    });

    test('terraform_data.cbr_policy_claim runs the claim hook once per name, with name, deployment, adopt and the spec format', () => {
      expect(data.cbr_policy_claim).toEqual({
        for_each: '${local.cbr_policy_claim}',
        input: '${each.value.adopt}',
        lifecycle: { create_before_destroy: true },
        provisioner: [{
          'local-exec': {
            interpreter: ['node', hookPath, 'claim', 'policy'],
            command: '${each.key}',
            environment: {
              CBR_SPEC: '${jsonencode(merge(self.triggers_replace, { adopt = self.input, spec_format = 3 }))}',
              CBR_CONFIG_FILE: '${path.module}/cdk.tf.json',
            },
          },
        }],
        // Only the name and the deployment replace a claim: adopt is `input`.
        triggers_replace: '${{ name = each.value.name, deployment = terraform_data.cbr_deployment.id }}',
      });
      expect(data.cbr_policy.depends_on).toEqual(['terraform_data.cbr_policy_claim']);
    });

    test('local.cbr_policy_claim maps each policy name to its name and adopt flag', () => {
      expect(json.locals.cbr_policy_claim).toEqual({ nightly: { name: 'nightly', adopt: false } });
    });

    test('a stack without policies has an empty claim table', () => {
      const vaultOnly = synth((stack) => {
        new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      });
      expect(vaultOnly.resource.terraform_data.cbr_policy_claim.for_each).toBe('${local.cbr_policy_claim}');
      expect(vaultOnly.locals.cbr_policy_claim).toEqual({});
      expect(vaultOnly.resource.terraform_data.cbr_deployment).toEqual({});
    });

    test('a policy whose name is a token is claimed under "path:" and its construct path', () => {
      const tokenName = synth((stack) => {
        const name = new TerraformVariable(stack, 'policy_name', { type: 'string' });
        const team = new Construct(stack, 'Team');
        new Policy(team, 'Weekly', { policyName: name.stringValue, schedule: DAILY() });
        new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY() });
      });
      expect(tokenName.locals.cbr_policy_claim).toEqual({
        'nightly': { name: 'nightly', adopt: false },
        'path:Team/Weekly': { name: '${var.policy_name}', adopt: false },
      });
    });

    test('adopt: true on a Policy shows in its claim', () => {
      const adopted = synth((stack) => {
        new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY(), adopt: true });
        new Policy(stack, 'Weekly', { policyName: 'weekly', schedule: DAILY() });
      });
      expect(adopted.locals.cbr_policy_claim).toEqual({
        nightly: { name: 'nightly', adopt: true },
        weekly: { name: 'weekly', adopt: false },
      });
      // adopt is not part of the policy's own spec: only the claim carries it.
      expect(adopted.locals.cbr_policy_specs.Nightly).not.toHaveProperty('adopt');
    });
  });
});
