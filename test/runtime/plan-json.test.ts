import { Testing, TerraformStack } from 'cdktf';
import { Vault, VaultObjectType } from '../../src';
import { analysePlan, planExitCode } from '../../src/runtime/plan/plan';
import { specsOf } from '../support/specs';

/**
 * The plan JSON as `terraform show -json` writes it. The fields the analysis reads
 * (resource_changes[].{type, mode, name, index, change.{actions, before, after, after_unknown}})
 * are the same in every format_version since Terraform 0.12 ("1.0" up to Terraform 1.2, "1.1" in
 * 1.3-1.5, "1.2" from 1.6, and OpenTofu's, which forked from 1.6). These cases use the shapes each
 * writes; the end-to-end tests use the Terraform on this machine.
 */

/** A vault spec as synth writes it, with the deployment Terraform merges in. */
const VAULT = (() => {
  const stack = new TerraformStack(Testing.app(), 'backup');
  new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
  return { ...specsOf(JSON.parse(Testing.synth(stack)), 'vault').Prod, deployment: 'd-1' };
})();

function change(name: string, index: string, actions: string[], before: unknown, after: unknown, afterUnknown: unknown = {}, extra: object = {}) {
  return {
    address: `terraform_data.${name}["${index}"]`,
    mode: 'managed',
    type: 'terraform_data',
    name,
    index,
    provider_name: 'terraform.io/builtin/terraform',
    change: { actions, before: before && { id: 'x', triggers_replace: before }, after: after && { triggers_replace: after }, after_unknown: { id: true, triggers_replace: afterUnknown }, ...extra },
  };
}

describe('plan JSON of other Terraform versions and OpenTofu', () => {
  test.each([
    ['1.0', {}],
    ['1.1', { action_reason: 'replace_because_cannot_update', replace_paths: [['triggers_replace']] }],
    ['1.2', { action_reason: 'replace_because_cannot_update', replace_paths: [['triggers_replace']], before_sensitive: false, after_sensitive: false, importing: null }],
  ])('format_version %s: an in-place update, a keep and an addition read alike', (formatVersion, extra) => {
    const plan = {
      format_version: formatVersion,
      terraform_version: formatVersion === '1.2' ? '1.8.0' : '1.4.7',
      resource_changes: [
        change('cbr_vault', 'Prod', ['create', 'delete'], VAULT, { ...VAULT, size: 200 }, {}, extra),
        change('cbr_vault', 'Old', ['delete'], { ...VAULT, name: 'old' }, null),
        change('cbr_tag', 'Prod/Tag-team', ['create'], null, { spec_format: 3, vault: { by: 'path', value: 'Prod', name: 'prod' }, key: 'team', value: 'ops', retain_on_destroy: true }, { deployment: true }),
        // Not ours: other resources, the anchor, the claims, a data source.
        { address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', change: { actions: ['update'], before: {}, after: {}, after_unknown: {} } },
        change('cbr_policy_claim', 'nightly', ['create'], null, { name: 'nightly' }),
        { address: 'terraform_data.cbr_deployment', mode: 'managed', type: 'terraform_data', name: 'cbr_deployment', change: { actions: ['no-op'], before: {}, after: {}, after_unknown: {} } },
        { address: 'data.terraform_remote_state.x', mode: 'data', type: 'terraform_remote_state', name: 'x', change: { actions: ['read'], before: null, after: {}, after_unknown: {} } },
      ],
    };
    const report = analysePlan(plan, 'backup');
    expect(report.changes.map((c) => `${c.kind} ${c.key}: ${c.text}`)).toEqual([
      'vault Old: keep (removalPolicy RETAIN: the vault and its backups stay)',
      'vault Prod: update in place: size 100 -> 200',
      'tag Prod/Tag-team: add team="ops"',
    ]);
    expect(planExitCode(report)).toBe(0);
  });

  test('a spec wholly unknown at plan (Terraform and OpenTofu mark the whole map) says which fields may change', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [change('cbr_vault', 'Prod', ['delete', 'create'], VAULT, null, true)],
    };
    const report = analysePlan(plan, 'backup');
    const [c] = report.changes;
    // Not "will fail": a frozen field known only at apply may keep its value.
    expect(c.action).toBe('update');
    expect(c.text).toBe('update in place: auto_bind false -> (known after apply), auto_expand false -> (known after apply), bind_rules {} -> (known after apply), ' +
      'consistent_level "crash_consistent" -> (known after apply), name "prod" -> (known after apply), size 100 -> (known after apply), ' +
      'smn_notify true -> (known after apply), threshold 80 -> (known after apply); not changed by the hook: backup_name_prefix, is_auto_pay, ' +
      'is_auto_renew, period_num, period_type (set at creation; a subscription\'s period and renewal change in the Billing Center); fails at apply if ' +
      'charging_mode, cloud_type, description, enterprise_project_id, is_multi_az, object_type or protect_type change (known only at apply; ' +
      'API 4.5.4 cannot change it in place)');
    expect(planExitCode(report)).toBe(0);
  });

  test('a policy whose operation_type is known only at apply may fail, and says so without failing the plan', () => {
    const policy = {
      spec_format: 3,
      name: 'nightly',
      operation_type: 'backup',
      enabled: true,
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0'],
      operation_definition: { max_backups: 7 },
      schedule_summary: 'daily at 02:00 UTC',
      retention_summary: 'keep the latest 7 backups',
      runs_per_week: 7,
      max_backups_held: 7,
      removal_policy: 'destroy',
      deployment: 'd-1',
    };
    const plan = { format_version: '1.1', resource_changes: [change('cbr_policy', 'Nightly', ['create', 'delete'], policy, { ...policy, operation_type: null }, { operation_type: true })] };
    const report = analysePlan(plan, 'backup');
    expect(report.changes.map((c) => [c.action, c.text])).toEqual([
      ['update', 'unchanged in the cloud; fails at apply if operation_type changes (known only at apply; API 4.8.4 cannot change it in place)'],
    ]);
    expect(planExitCode(report)).toBe(0);
    const changed = analysePlan({ format_version: '1.1', resource_changes: [change('cbr_policy', 'Nightly', ['create', 'delete'], policy, { ...policy, operation_type: 'replication' })] }, 'backup');
    expect(changed.changes[0].text).toBe('will fail at apply: operation_type cannot change in place (API 4.8.4). Declare a new Policy instead');
    expect(planExitCode(changed)).toBe(3);
  });

  test('a plan with no resource_changes (nothing declared) is an empty report', () => {
    expect(analysePlan({ format_version: '1.0' }, 'backup').changes).toEqual([]);
    expect(analysePlan({ format_version: '1.2', resource_changes: [] }, 'backup').changes).toEqual([]);
  });
});
