import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformElement, TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { hbr, Policy, RemovalPolicy, Retention, Schedule, Vault, VaultBilling, VaultObjectType, VaultResource } from '../../src';
import { entriesDigest, legacyOwnerTag } from '../../src/contract/entries';
import { specsOf } from '../support/specs';

const DAILY = () => Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);
const KINDS = ['policy', 'vault', 'attachment', 'association', 'tag', 'client'];

function synth(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'backup');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

describe('hook tables', () => {
  test('one terraform_data per kind with for_each over construct paths, each entry JSON text of its updatable and its identifying fields', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      new Vault(stack, 'Dev', { vaultName: 'dev', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY, threshold: 90 });
      new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']) });
    });
    const data = json.resource.terraform_data;
    expect(Object.keys(data).sort()).toEqual([
      'cbr_association', 'cbr_attachment', 'cbr_client', 'cbr_deployment', 'cbr_hooks', 'cbr_policy', 'cbr_policy_claim', 'cbr_tag', 'cbr_vault', 'cbr_vault_order',
    ]);
    const vaults = data.cbr_vault;
    // for_each iterates a local of JSON text: evaluated once, and no object types for Terraform to unify per instance.
    expect(vaults.for_each).toBe('${local.cbr_vault_inputs}');
    expect(vaults.input).toBe('${each.value}');
    expect(vaults.triggers_replace).toEqual(['${terraform_data.cbr_deployment.id}', '${local.cbr_vault_identities[each.key]}']);
    expect(Object.keys(json.locals.cbr_vault_inputs)).toEqual(['Dev', 'Prod']);
    // What the API updates in place (4.5.4) is input; what identifies the vault or is set at creation is the identity.
    // Fields at their default are left out, the spec format always written; no deployment: Terraform adds it.
    expect(json.locals.cbr_vault_inputs.Prod).toBe('{"spec_format":4,"name":"prod","size":100}');
    expect(json.locals.cbr_vault_identities.Prod).toBe('{"object_type":"server"}');
    expect(JSON.parse(json.locals.cbr_vault_inputs.Dev)).toEqual({ spec_format: 4, name: 'dev', size: 40, threshold: 90, removal_policy: 'destroy' });
    expect(JSON.parse(json.locals.cbr_vault_identities.Dev)).toEqual({ object_type: 'disk' });
    // Joined again, every field is there with its default, as the hooks read it.
    expect(specsOf(json, 'vault').Prod).toEqual({
      spec_format: 4,
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
      region: '',
      project_id: '',
    });
    // Delete hooks run dependents first: relations before their vault or policy, policies after their claims.
    expect(data.cbr_policy.depends_on).toEqual(['terraform_data.cbr_policy_claim']);
    expect(data.cbr_vault.depends_on).toBeUndefined();
    for (const kind of ['attachment', 'association', 'tag']) expect(data[`cbr_${kind}`].depends_on).toEqual(['terraform_data.cbr_vault', 'terraform_data.cbr_policy']);
    expect(data.cbr_client.depends_on).toBeUndefined();
    // Every replacement is delete-first: the old entry's delete hook hands its spec to the hook entry (a vault's keeps the
    // vault unless the command is a destroy). Terraform would force create_before_destroy onto a table's dependencies.
    for (const kind of KINDS) expect([kind, data[`cbr_${kind}`].lifecycle]).toEqual([kind, undefined]);
    // The deployment anchor has no lifecycle, triggers or input: nothing ever replaces it.
    expect(data.cbr_deployment).toEqual({});
  });

  test('every field of every kind has its place in an entry, and a field at its default is left out', () => {
    const json = synth((stack) => {
      const vault = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'platform' } });
      vault.attachPolicy(new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY(), retention: Retention.count(7) }));
      vault.addResources('Web', [VaultResource.server('srv-1', { excludeVolumes: ['vol-1'] })]);
    });
    const parts = (kind: string, key: string) => [JSON.parse(json.locals[`cbr_${kind}_inputs`][key]), JSON.parse(json.locals[`cbr_${kind}_identities`][key])];
    expect(parts('policy', 'Nightly')).toEqual([{
      spec_format: 4,
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0'],
      operation_definition: { max_backups: 7 },
      schedule_summary: 'daily at 02:00 UTC',
      retention_summary: 'keep the latest 7 backups',
      runs_per_week: 7,
      max_backups_held: 7,
    }, { name: 'nightly' }]);
    // A relation's vault is its identity; the vault's name, for lookups and messages, changes in place with a renamed vault.
    expect(parts('attachment', 'Prod/BackupPolicy')).toEqual([{ spec_format: 4, vault_name: 'prod' }, { vault: { by: 'path', value: 'Prod' }, policy: { by: 'name', value: 'nightly' } }]);
    expect(parts('association', 'Prod/Web/srv-1')).toEqual([
      { spec_format: 4, vault_name: 'prod', exclude_volumes: ['vol-1'], retain_on_destroy: true },
      { vault: { by: 'path', value: 'Prod' }, resource_id: 'srv-1', resource_type: 'OS::Nova::Server' },
    ]);
    expect(parts('tag', 'Prod/Tag-team')).toEqual([{ spec_format: 4, vault_name: 'prod', value: 'platform', retain_on_destroy: true }, { vault: { by: 'path', value: 'Prod' }, key: 'team' }]);
    expect(specsOf(json, 'tag')['Prod/Tag-team'].vault).toEqual({ by: 'path', value: 'Prod', name: 'prod' });
  });

  test('the hook entry: replaced when an entry is added, updated or replaced, it runs the hook of the whole stack', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY() });
    });
    const hooks = json.resource.terraform_data.cbr_hooks;
    const hookPath = expect.stringMatching(/^\$\{path\.module\}\/assets\/cbr_hook\/[0-9A-F]+\/hook\.js$/);
    expect(hooks).toEqual({
      depends_on: [...KINDS.map((k) => `terraform_data.cbr_${k}`), 'terraform_data.cbr_policy_claim', 'terraform_data.cbr_vault_order'],
      // Keys added (creations do not trigger replace_triggered_by); keys removed too, which costs one run that writes nothing.
      triggers_replace: '${sha256(jsonencode([keys(local.cbr_policy_inputs), keys(local.cbr_vault_inputs), keys(local.cbr_attachment_inputs), ' +
        'keys(local.cbr_association_inputs), keys(local.cbr_tag_inputs), keys(local.cbr_client_inputs)]))}',
      // Only the tables with entries: Terraform fails an apply whose replace_triggered_by names a table without instances.
      lifecycle: { replace_triggered_by: ['terraform_data.cbr_policy', 'terraform_data.cbr_vault'] },
      provisioner: [{
        'local-exec': {
          interpreter: ['node', hookPath, 'apply', 'stack'],
          command: 'backup',
          environment: {
            CBR_DEPLOYMENT: '${terraform_data.cbr_deployment.id}',
            CBR_CONFIG_FILE: '${path.module}/cdk.tf.json',
            CBR_DIGEST: expect.stringMatching(/^[0-9a-f]{32}$/),
          },
        },
      }],
    });
    expect(hooks.provisioner[0]['local-exec'].environment.CBR_DIGEST).toBe(entriesDigest(json));
  });

  test('the hook entry receives the entries whose values are known only at apply, as Terraform resolves them', () => {
    const json = synth((stack) => {
      const size = new TerraformVariable(stack, 'size', { type: 'number' });
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: size.numberValue });
      new Vault(stack, 'Dev', { vaultName: 'dev', objectType: VaultObjectType.SERVER, size: 100 });
    });
    expect(json.locals.cbr_vault_inputs.Prod).toBe('{"spec_format":4,"name":"prod","size":${jsonencode(var.size)}}');
    expect(json.resource.terraform_data.cbr_hooks.provisioner[0]['local-exec'].environment.CBR_RESOLVED)
      .toBe('${jsonencode({ vault = { "Prod" = [local.cbr_vault_inputs["Prod"], local.cbr_vault_identities["Prod"]] } })}');
    expect(specsOf(json, 'vault').Prod.size).toBe('${var.size}');
  });

  test('a yearly/monthly vault is ordered by an entry of its own, whose hook runs once', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Paid', { vaultName: 'paid', objectType: VaultObjectType.SERVER, size: 100, billing: VaultBilling.yearly(1, { autoPay: true }) });
      new Vault(stack, 'Free', { vaultName: 'free', objectType: VaultObjectType.SERVER, size: 100 });
    });
    expect(json.locals.cbr_vault_order).toEqual({ Paid: 'Paid' });
    const order = json.resource.terraform_data.cbr_vault_order;
    expect(order).toEqual({
      for_each: '${local.cbr_vault_order}',
      provisioner: [{
        'local-exec': {
          interpreter: ['node', expect.stringMatching(/hook\.js$/), 'order', 'vault'],
          command: '${each.key}',
          environment: {
            CBR_SPEC: '${jsonencode([local.cbr_vault_inputs[each.key], [terraform_data.cbr_deployment.id, local.cbr_vault_identities[each.key]]])}',
            CBR_CONFIG_FILE: '${path.module}/cdk.tf.json',
          },
        },
      }],
    });
  });

  test('addOverride on the hook tables reaches the synthesized JSON, as on any element', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
      const tables = stack.node.findChild('cbr_hooks') as TerraformElement;
      tables.addOverride('resource.terraform_data.cbr_vault.lifecycle.prevent_destroy', true);
      tables.addOverride('resource.terraform_data.cbr_tag.provisioner', undefined);
      tables.addOverride('locals.cbr_vault_inputs.Prod', '{"spec_format":4,"name":"prod","size":200}');
    });
    const data = json.resource.terraform_data;
    expect(data.cbr_vault.lifecycle).toEqual({ prevent_destroy: true });
    expect(data.cbr_vault.for_each).toBe('${local.cbr_vault_inputs}');
    expect(data.cbr_tag.provisioner).toBeUndefined();
    expect(data.cbr_tag.for_each).toBe('${local.cbr_tag_inputs}');
    // The hook entry checks the configuration it reads against the entries as written, overrides included.
    expect(specsOf(json, 'vault').Prod.size).toBe(200);
    expect(data.cbr_hooks.provisioner[0]['local-exec'].environment.CBR_DIGEST).toBe(entriesDigest(json));
  });

  test('an entry\'s only hook is its delete hook: the bundled hook without a shell, the entry through the environment', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
    });
    for (const kind of KINDS) {
      expect([kind, json.resource.terraform_data[`cbr_${kind}`].provisioner]).toEqual([kind, [{
        'local-exec': {
          when: 'destroy',
          interpreter: ['node', expect.stringMatching(/^\$\{path\.module\}\/assets\/cbr_hook\/[0-9A-F]+\/hook\.js$/), 'delete', kind],
          command: '${each.key}',
          environment: { CBR_SPEC: '${jsonencode([self.input, self.triggers_replace])}', CBR_CONFIG_FILE: '${path.module}/cdk.tf.json' },
        },
      }]]);
    }
  });

  test('the policy spec carries the API fields and plain-language summaries', () => {
    const json = synth((stack) => {
      new Policy(stack, 'Nightly', {
        policyName: 'nightly',
        schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=0']),
        retention: Retention.days(30),
      });
    });
    const spec = specsOf(json, 'policy').Nightly;
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
    expect(json.locals.cbr_vault_inputs).toEqual({});
    expect(json.resource.terraform_data.cbr_vault.for_each).toBe('${local.cbr_vault_inputs}');
  });

  test('default names derive from the stack and construct path', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { objectType: VaultObjectType.SERVER, size: 100 });
    });
    expect(specsOf(json, 'vault').Prod.name).toMatch(/^backup-Prod-[0-9a-f]{8}$/);
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
      expect(json.locals.cbr_vault_inputs.Prod).toBe('{"spec_format":4,"name":${jsonencode(var.name)},"size":100}');
      expect(json.locals.cbr_vault_identities.Prod).toBe('{"description":${jsonencode("for ${var.name}")},"object_type":"server"}');
      expect(specsOf(json, 'vault').Prod).toMatchObject({ name: '${var.name}', description: 'for ${var.name}' });
    });
  });

  test('fails when the vault size is out of range', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => new Vault(stack, 'V', { objectType: VaultObjectType.SERVER, size: 5 }))
      .toThrow('s/V: size 5 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.');
  });

  test('the legacy owner tag differs between stacks and survives a vault rename', () => {
    // The hook entry derives it from the stack name and the key: an entry no longer stores it.
    expect(legacyOwnerTag('a', 'Prod')).toMatch(/^o-[0-9a-f]{40}$/);
    expect(legacyOwnerTag('a', 'Prod')).not.toBe(legacyOwnerTag('b', 'Prod'));
    // The very value formats 1-2 stored as `owner` for this construct (test/fixtures/upgrade-from-1b83c42, stack "upgrade").
    expect(legacyOwnerTag('upgrade', 'Prod')).toBe('o-c867df78491e5468853b7c393f6494809b704ab8');
    const json = synth((stack) => new Vault(stack, 'Prod', { vaultName: 'x', objectType: VaultObjectType.SERVER, size: 100 }));
    expect(specsOf(json, 'vault').Prod).not.toHaveProperty('legacy_owner');
  });

  describe('fails when a construct id holds Terraform template text, which Terraform would evaluate in the entry\'s key', () => {
    const rule = (table: string) => `is invalid: the construct path is the key of its entry in terraform_data.${table}, and Terraform would evaluate its "\${" or "%{" ` +
      'sequence, so the key would name another construct. Give the construct (or the scope above it) an id without "${" or "%{".';
    const ID = '%{ if true }x%{ endif }';
    test('a vault', () => {
      expect(() => synth((stack) => new Vault(stack, ID, { vaultName: 'v', objectType: VaultObjectType.SERVER, size: 100 })))
        .toThrow(`backup/${ID}: id "${ID}" ${rule('cbr_vault')}`);
    });
    test('a policy', () => {
      expect(() => synth((stack) => new Policy(stack, ID, { policyName: 'p', schedule: DAILY() }))).toThrow(`backup/${ID}: id "${ID}" ${rule('cbr_policy')}`);
    });
    test('an attachment, an association and a tag below a scope', () => {
      for (const [kind, build] of [
        ['attachment', (v: Vault, s: Construct) => v.attachPolicy(new Policy(s, 'P', { policyName: 'p', schedule: DAILY() }))],
        ['association', (v: Vault) => v.addResources('Web', [VaultResource.server('srv-1')])],
        ['tag', (v: Vault) => v.addTag('team', 'a')],
      ] as const) {
        expect(() => synth((stack) => {
          const scope = new Construct(stack, '${x}');
          (build as (v: Vault, s: Construct) => void)(new Vault(scope, 'V', { vaultName: 'v', objectType: VaultObjectType.SERVER, size: 100 }), stack);
        })).toThrow(new RegExp(`^backup/\\$\\{x\\}/V.*: id "\\$\\{x\\}/V[^"]*" is invalid: the construct path is the key of its entry in terraform_data\\.cbr_(vault|${kind})`));
      }
    });
    test('an HBR client', () => {
      expect(() => synth((stack) => new hbr.BackupClient(stack, ID, { vaultId: 'v-0001ufe000000kgm', instanceIds: ['i-1'] })))
        .toThrow(`backup/${ID}: id "${ID}" ${rule('cbr_client')}`);
    });
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

    test('every table carries the deployment in triggers_replace, beside the entry\'s identity', () => {
      for (const kind of KINDS) {
        expect([kind, data[`cbr_${kind}`].triggers_replace]).toEqual([kind, ['${terraform_data.cbr_deployment.id}', `\${local.cbr_${kind}_identities[each.key]}`]]);
        expect([kind, data[`cbr_${kind}`].input]).toEqual([kind, '${each.value}']);
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
              // The policy's location, resolved when the claim is made, in its spec only: the entry is as earlier releases wrote it.
              CBR_SPEC: '${jsonencode(merge(self.triggers_replace, { adopt = self.input, spec_format = 4, region = each.value.region, project_id = each.value.project_id }))}',
              CBR_CONFIG_FILE: '${path.module}/cdk.tf.json',
            },
          },
        }],
        // Only the name and the deployment replace a claim: adopt is `input`.
        triggers_replace: '${{ name = each.value.name, deployment = terraform_data.cbr_deployment.id }}',
      });
      expect(data.cbr_policy.depends_on).toEqual(['terraform_data.cbr_policy_claim']);
    });

    test('local.cbr_policy_claim maps each policy name to its name, adopt flag and location', () => {
      expect(json.locals.cbr_policy_claim).toEqual({ nightly: { name: 'nightly', adopt: false, region: '', project_id: '' } });
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
        'nightly': { name: 'nightly', adopt: false, region: '', project_id: '' },
        'path:Team/Weekly': { name: '${var.policy_name}', adopt: false, region: '', project_id: '' },
      });
    });

    test('adopt: true on a Policy shows in its claim', () => {
      const adopted = synth((stack) => {
        new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: DAILY(), adopt: true });
        new Policy(stack, 'Weekly', { policyName: 'weekly', schedule: DAILY() });
      });
      expect(adopted.locals.cbr_policy_claim).toEqual({
        nightly: { name: 'nightly', adopt: true, region: '', project_id: '' },
        weekly: { name: 'weekly', adopt: false, region: '', project_id: '' },
      });
      // adopt is not part of the policy's own spec: only the claim carries it.
      expect(specsOf(adopted, 'policy').Nightly).not.toHaveProperty('adopt');
    });
  });
});
