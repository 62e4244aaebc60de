import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';

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
    expect(Object.keys(data).sort()).toEqual(['cbr_association', 'cbr_attachment', 'cbr_client', 'cbr_policy', 'cbr_tag', 'cbr_vault']);
    const vaults = data.cbr_vault;
    // for_each iterates a local: evaluated once, where a literal map is re-decoded for every instance.
    expect(vaults.for_each).toBe('${local.cbr_vault_specs}');
    const vaultSpecs = json.locals.cbr_vault_specs;
    expect(Object.keys(vaultSpecs)).toEqual(['Dev', 'Prod']);
    expect(vaults.input).toBeUndefined();
    expect(vaults.triggers_replace).toBe('${each.value}');
    expect(vaults.lifecycle).toEqual({ create_before_destroy: true });
    expect(vaults.depends_on).toEqual(['terraform_data.cbr_policy']);
    expect(vaultSpecs.Prod).toEqual({
      spec_format: 2,
      owner: expect.stringMatching(/^o-[0-9a-f]{40}$/),
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
    // Relations run after the objects they point at, in API order.
    expect(data.cbr_attachment.depends_on).toEqual(['terraform_data.cbr_vault']);
    expect(data.cbr_association.depends_on).toEqual(['terraform_data.cbr_attachment']);
    expect(data.cbr_tag.depends_on).toEqual(['terraform_data.cbr_association']);
    expect(data.cbr_client.depends_on).toBeUndefined();
    // A replaced association or tag runs its old entry's delete hook first, which hands the old spec to
    // the new entry. They end the chain: Terraform forces create_before_destroy onto the dependencies of a table that has it.
    const cbd = Object.fromEntries(Object.entries<any>(data).map(([k, t]) => [k, t.lifecycle.create_before_destroy]));
    expect(cbd).toEqual({ cbr_policy: true, cbr_vault: true, cbr_attachment: true, cbr_association: false, cbr_tag: false, cbr_client: true });
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
    const message = 'cdktf-cbr: the hooks and `cdktf-cbr drift` read the synthesized cdk.tf.json, so a stack with cdktf-cbr constructs ' +
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
      .toThrow('b/Two: vault name "shared" is already managed by a/One; two constructs cannot manage one cloud object. Give one of them another vaultName.');
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

  test('the owner tag differs between stacks and survives a vault rename', () => {
    const owners = (stackName: string, vaultName: string) => {
      const app = Testing.app();
      const stack = new TerraformStack(app, stackName);
      return new Vault(stack, 'Prod', { vaultName, objectType: VaultObjectType.SERVER, size: 100 }).owner;
    };
    expect(owners('a', 'x')).toBe(owners('a', 'y'));
    expect(owners('a', 'x')).not.toBe(owners('b', 'x'));
  });
});
