import { Testing, TerraformStack } from 'cdktf';
import { hbr, Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { splitSpec } from '../../src/contract/layout';
import { HookKind, SPEC_FORMAT } from '../../src/contract/specs';
import { formatPlanMarkdown, formatPlanText } from '../../src/runtime/plan/format';
import { analysePlan, planExitCode, PlanReport } from '../../src/runtime/plan/plan';
import { specsOf } from '../support/specs';

/**
 * The plan JSON as `terraform show -json` writes it. The fields the analysis reads
 * (resource_changes[].{type, mode, name, index, action_reason, change.{actions, before, after, after_unknown}})
 * are the same in every format_version since Terraform 0.12 ("1.0" up to Terraform 1.2, "1.1" in
 * 1.3-1.5, "1.2" from 1.6, and OpenTofu's, which forked from 1.6), except action_reason, which
 * older releases leave out. These cases use the shapes each writes; the end-to-end tests use the
 * Terraform on this machine.
 */

/** The specs of one synthesized stack, by kind then key, as the constructs declare them. */
const SPECS = (() => {
  const stack = new TerraformStack(Testing.app(), 'backup');
  const prod = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'ops' } });
  const nightly = new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.daily({ hour: 2 }), retention: Retention.count(7), removalPolicy: RemovalPolicy.DESTROY });
  prod.attachPolicy(nightly);
  prod.addResources('Web', [VaultResource.server('srv-1')]);
  new VaultTag(stack, 'Owner', { vault: prod, key: 'owner', value: 'sre' });
  new hbr.BackupClient(stack, 'Agents', { vaultId: 'v-1', instanceIds: ['i-1', 'i-2'] });
  const json = JSON.parse(Testing.synth(stack));
  const of = (kind: HookKind) => specsOf(json, kind);
  return {
    vault: of('vault').Prod,
    policy: of('policy').Nightly,
    attachment: of('attachment')['Prod/BackupPolicy'],
    association: of('association')['Prod/Web/srv-1'],
    teamTag: of('tag')['Prod/Tag-team'],
    tag: of('tag').Owner,
    client: of('client').Agents,
  };
})();

/** An entry's values in the state: its spec split into `input` and `[deployment, identity]`, both JSON text (src/contract/layout.ts). */
function stored(kind: HookKind, spec: Record<string, unknown>) {
  const { spec_format: format, ...fields } = spec;
  const { input, identity } = splitSpec(kind, fields, (format as number | undefined) ?? SPEC_FORMAT);
  return { id: 'x', input: JSON.stringify(input), output: null, triggers_replace: ['d-1', JSON.stringify(identity)] };
}

/** One entry's change; `extra` holds what a format_version adds (action_reason beside the change, the rest in it). */
function change(
  kind: HookKind, index: string, actions: string[], before: unknown, after: unknown, afterUnknown: object = {}, extra: Record<string, unknown> = {},
) {
  const name = `cbr_${kind}`;
  const { action_reason: reason, ...inChange } = extra;
  return {
    address: `terraform_data.${name}["${index}"]`,
    mode: 'managed',
    type: 'terraform_data',
    name,
    index,
    provider_name: 'terraform.io/builtin/terraform',
    ...(reason ? { action_reason: reason } : {}),
    change: {
      actions,
      before: before ?? null,
      after: after ?? null,
      after_unknown: after ? { id: actions.includes('create'), output: true, triggers_replace: [false, false], ...afterUnknown } : {},
      ...inChange,
    },
  };
}

/** The hook entry's change (no for_each), with Terraform's reason for it. */
function hookEntry(actions: string[], reason?: string) {
  return {
    address: 'terraform_data.cbr_hooks',
    mode: 'managed',
    type: 'terraform_data',
    name: 'cbr_hooks',
    provider_name: 'terraform.io/builtin/terraform',
    change: { actions, before: { id: 'h', input: null, triggers_replace: 'abc' }, after: { input: null, triggers_replace: 'abc' }, after_unknown: { id: true } },
    ...(reason ? { action_reason: reason } : {}),
  };
}

const lines = (report: PlanReport) => report.changes.map((c) => `${c.kind} ${c.key}: ${c.text}`);
const plan = (...resourceChanges: unknown[]) => ({ format_version: '1.2', resource_changes: resourceChanges });

describe('plan JSON of other Terraform versions and OpenTofu', () => {
  test.each([
    ['1.0', {}],
    ['1.1', { action_reason: 'replace_because_cannot_update', replace_paths: [['triggers_replace']] }],
    ['1.2', { action_reason: 'replace_because_cannot_update', replace_paths: [['triggers_replace']], before_sensitive: false, after_sensitive: false, importing: null }],
  ])('format_version %s: an update in place, a replacement, a keep and an addition read alike', (formatVersion, extra) => {
    const doc = {
      format_version: formatVersion,
      terraform_version: formatVersion === '1.2' ? '1.8.0' : '1.4.7',
      resource_changes: [
        change('vault', 'Prod', ['update'], stored('vault', SPECS.vault), stored('vault', { ...SPECS.vault, size: 200 })),
        change('vault', 'Old', ['delete'], stored('vault', { ...SPECS.vault, name: 'old' }), null),
        change('policy', 'Nightly', ['delete', 'create'], stored('policy', SPECS.policy), stored('policy', { ...SPECS.policy, name: 'nightly-v2' }), {}, extra),
        // A new entry: the deployment is unknown until the anchor exists, its identity is known.
        change('tag', 'Prod/Tag-team', ['create'], null, { ...stored('tag', SPECS.teamTag), triggers_replace: [null, stored('tag', SPECS.teamTag).triggers_replace[1]] }, { triggers_replace: [true, false] }),
        // Not ours, or bookkeeping: other resources, the claims, the orders, the anchor, the hook entry, a data source.
        { address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', change: { actions: ['update'], before: {}, after: {}, after_unknown: {} } },
        { ...change('policy', 'nightly-v2', ['create'], null, { input: false, triggers_replace: { name: 'nightly-v2' } }), name: 'cbr_policy_claim' },
        { ...change('vault', 'Paid', ['create'], null, { input: null, triggers_replace: null }), name: 'cbr_vault_order' },
        { address: 'terraform_data.cbr_deployment', mode: 'managed', type: 'terraform_data', name: 'cbr_deployment', change: { actions: ['no-op'], before: {}, after: {}, after_unknown: {} } },
        hookEntry(['delete', 'create'], formatVersion === '1.0' ? undefined : 'replace_by_triggers'),
        { address: 'data.terraform_remote_state.x', mode: 'data', type: 'terraform_remote_state', name: 'x', change: { actions: ['read'], before: null, after: {}, after_unknown: {} } },
      ],
    };
    const report = analysePlan(doc, 'backup');
    expect(lines(report)).toEqual([
      'policy Nightly: rename in place: "nightly" -> "nightly-v2"',
      'vault Old: keep (removalPolicy RETAIN: the vault and its backups stay)',
      'vault Prod: update in place: size 100 -> 200',
      'tag Prod/Tag-team: add team="ops"',
    ]);
    expect(planExitCode(report)).toBe(0);
  });

  const VAULT_UNKNOWN = 'update in place: auto_bind false -> (known after apply), auto_expand false -> (known after apply), bind_rules {} -> (known after apply), ' +
    'consistent_level "crash_consistent" -> (known after apply), name "prod" -> (known after apply), size 100 -> (known after apply), ' +
    'smn_notify true -> (known after apply), threshold 80 -> (known after apply); not changed by the hook: backup_name_prefix, is_auto_pay, ' +
    'is_auto_renew, period_num, period_type (set at creation; a subscription\'s period and renewal change in the Billing Center); fails at apply if ' +
    'charging_mode, cloud_type, description, enterprise_project_id, is_multi_az, object_type or protect_type change (known only at apply; ' +
    'API 4.5.4 cannot change it in place); another vault is created if region or project_id change (known only at apply)';

  test.each([
    ['each JSON text marked unknown (Terraform, OpenTofu)', { input: null, triggers_replace: ['d-1', null] }, { input: true, triggers_replace: [false, true] }],
    ['the whole triggers_replace marked unknown', { input: null, triggers_replace: null }, { input: true, triggers_replace: true }],
    ['unknown values left out of after', { triggers_replace: ['d-1'] }, { input: true, triggers_replace: [false, true] }],
  ])('a spec wholly unknown at plan, %s, says which fields may change', (_how, after, afterUnknown) => {
    const report = analysePlan(plan(change('vault', 'Prod', ['create', 'delete'], stored('vault', SPECS.vault), after, afterUnknown)), 'backup');
    const [c] = report.changes;
    // Not "will fail": a frozen field known only at apply may keep its value.
    expect(c.action).toBe('update');
    expect(c.text).toBe(VAULT_UNKNOWN);
    expect(planExitCode(report)).toBe(0);
  });

  test('an input known only at apply is an update of its fields; an identity known only at apply may replace the object', () => {
    const { triggers_replace: identity } = stored('tag', SPECS.teamTag);
    const report = analysePlan(plan(
      change('tag', 'Prod/Tag-team', ['update'], stored('tag', SPECS.teamTag), { input: null, triggers_replace: identity }, { input: true }),
      change('association', 'Prod/Web/srv-1', ['delete', 'create'], stored('association', SPECS.association), { ...stored('association', SPECS.association), triggers_replace: ['d-1', null] },
        { triggers_replace: [false, true] }),
    ), 'backup');
    expect(lines(report)).toEqual([
      'association Prod/Web/srv-1: protect (known after apply) instead of srv-1 (the old one is dissociated once the new one is in: its backups are deleted)',
      'tag Prod/Tag-team: change team "ops" -> (known after apply)',
    ]);
    expect(planExitCode(report)).toBe(2);
  });

  test('a policy whose identity is known only at apply may fail, and says so without failing the plan', () => {
    const unknownIdentity = { ...stored('policy', SPECS.policy), triggers_replace: ['d-1', null] };
    const report = analysePlan({ format_version: '1.1', resource_changes: [change('policy', 'Nightly', ['delete', 'create'], stored('policy', SPECS.policy), unknownIdentity, { triggers_replace: [false, true] })] }, 'backup');
    expect(report.changes.map((c) => [c.action, c.text])).toEqual([
      ['update', 'rename in place: "nightly" -> (known after apply); fails at apply if operation_type changes (known only at apply; API 4.8.4 cannot change it in place); another policy is created if region or project_id change (known only at apply)'],
    ]);
    expect(planExitCode(report)).toBe(0);
    const changed = analysePlan({
      format_version: '1.1',
      resource_changes: [change('policy', 'Nightly', ['delete', 'create'], stored('policy', SPECS.policy), stored('policy', { ...SPECS.policy, operation_type: 'replication' }))],
    }, 'backup');
    expect(changed.changes[0].text).toBe('will fail at apply: operation_type cannot change in place (API 4.8.4). Declare a new Policy instead');
    expect(planExitCode(changed)).toBe(3);
  });

  test('a plan with no resource_changes (nothing declared) is an empty report', () => {
    expect(analysePlan({ format_version: '1.0' }, 'backup').changes).toEqual([]);
    expect(analysePlan({ format_version: '1.2', resource_changes: [] }, 'backup').changes).toEqual([]);
  });
});

describe('entries updated in place and replaced', () => {
  test('an update of fields that are not the cloud\'s changes nothing there, and is not listed', () => {
    const renamed = { ...SPECS.vault, name: 'prod-2' };
    const report = analysePlan(plan(
      change('vault', 'Prod', ['update'], stored('vault', SPECS.vault), stored('vault', { ...renamed, removal_policy: 'destroy' })),
      // The relations' entries update the vault's name; they are the same relations.
      change('tag', 'Owner', ['update'], stored('tag', SPECS.tag), stored('tag', { ...SPECS.tag, vault: { ...SPECS.tag.vault, name: 'prod-2' } })),
      change('policy', 'Nightly', ['update'], stored('policy', SPECS.policy), stored('policy', { ...SPECS.policy, removal_policy: 'retain' })),
    ), 'backup');
    expect(report.changes.map((c) => [c.action, `${c.kind} ${c.key}: ${c.text}`])).toEqual([
      ['unchanged', 'policy Nightly: unchanged in the cloud (the entry is updated: removal_policy)'],
      ['update', 'vault Prod: update in place: name "prod" -> "prod-2"'],
      ['unchanged', 'tag Owner: unchanged in the cloud (the entry is updated: vault_name)'],
    ]);
    expect(formatPlanText(report).split('\n')).toEqual(['vault backup/Prod: update in place: name "prod" -> "prod-2"', '1 update in place, 0 additions, 0 moves, 0 deletions of data']);
  });

  test('a replacement says what the hooks do with the object that the new identity names', () => {
    const report = analysePlan(plan(
      change('vault', 'Prod', ['create', 'delete'], stored('vault', SPECS.vault), stored('vault', { ...SPECS.vault, description: 'now described', size: 200 })),
      change('attachment', 'Prod/BackupPolicy', ['delete', 'create'], stored('attachment', SPECS.attachment),
        stored('attachment', { ...SPECS.attachment, policy: { by: 'name', value: 'weekly' } })),
      change('tag', 'Owner', ['delete', 'create'], stored('tag', SPECS.tag), stored('tag', { ...SPECS.tag, key: 'team-owner' })),
      change('client', 'Agents', ['delete', 'create'], stored('client', SPECS.client), stored('client', { ...SPECS.client, instance_ids: ['i-2', 'i-3'] })),
    ), 'backup');
    expect(lines(report)).toEqual([
      'vault Prod: will fail at apply: description cannot change in place (API 4.5.4). Revert it, or give the construct a new id and vaultName to create a new vault',
      'attachment Prod/BackupPolicy: replace policy "nightly" with "weekly" on "prod"',
      'tag Owner: set team-owner="sre", then remove owner',
      'client Agents: update: install on i-2, i-3; left installed on i-1 (HBR has no uninstall call)',
    ]);
    expect(planExitCode(report)).toBe(3);
  });

  test('a renamed policy is renamed in place, and its attachment by name follows it', () => {
    const report = analysePlan(plan(
      change('policy', 'Nightly', ['delete', 'create'], stored('policy', SPECS.policy), stored('policy', { ...SPECS.policy, name: 'nightly-v2' })),
      change('attachment', 'Prod/BackupPolicy', ['delete', 'create'], stored('attachment', SPECS.attachment),
        stored('attachment', { ...SPECS.attachment, policy: { by: 'name', value: 'nightly-v2' } })),
    ), 'backup');
    expect(report.changes.map((c) => [c.action, `${c.kind} ${c.key}: ${c.text}`])).toEqual([
      ['update', 'policy Nightly: rename in place: "nightly" -> "nightly-v2"'],
      ['unchanged', 'attachment Prod/BackupPolicy: unchanged in the cloud (the entry follows the rename of policy "nightly" to "nightly-v2")'],
    ]);
  });

  test('a state written by an earlier release (the spec whole in triggers_replace) is rewritten, unchanged in the cloud', () => {
    // Format 3 kept the deployment in the spec; formats 1-2 pointed at vaults by ownership tag.
    const old = (spec: object) => ({ id: 'x', input: null, triggers_replace: spec });
    const report = analysePlan(plan(
      change('vault', 'Prod', ['create', 'delete'], old({ ...SPECS.vault, spec_format: 3, deployment: 'd-1' }), stored('vault', SPECS.vault)),
      change('tag', 'Owner', ['delete', 'create'], old({ ...SPECS.tag, spec_format: 2, vault: { by: 'owner', value: 'o-123', name: 'prod' }, owner: 'o-456' }), stored('tag', SPECS.tag)),
      // The replacement of the hook entry that comes with it is no object.
      hookEntry(['delete', 'create'], 'replace_by_triggers'),
    ), 'backup');
    expect(report.changes.map((c) => [c.action, c.text])).toEqual(Array(2).fill(['unchanged', 'unchanged in the cloud (the entry is rewritten: spec format or a setting of this library)']));
    expect(formatPlanText(report)).toBe('0 updates in place, 0 additions, 0 moves, 0 deletions of data');
    // A change made with the upgrade is one.
    const grown = analysePlan(plan(change('vault', 'Prod', ['create', 'delete'], old({ ...SPECS.vault, spec_format: 3 }), stored('vault', { ...SPECS.vault, size: 300 }))), 'backup');
    expect(lines(grown)).toEqual(['vault Prod: update in place: size 100 -> 300']);
  });
});

describe('moves between constructs', () => {
  test('a moved object with a changed field is moved, then updated', () => {
    const report = analysePlan(plan(
      change('vault', 'Prod', ['delete'], stored('vault', { ...SPECS.vault, removal_policy: 'destroy' }), null),
      change('vault', 'Team/Prod', ['create'], null, stored('vault', { ...SPECS.vault, size: 200 })),
      change('association', 'Prod/Web/srv-1', ['delete'], stored('association', SPECS.association), null),
      change('association', 'Team/Prod/Web/srv-1', ['create'], null, stored('association', { ...SPECS.association, vault: { ...SPECS.association.vault, value: 'Team/Prod' } })),
    ), 'backup');
    expect(report.changes.map((c) => [c.action, `${c.kind} ${c.key}: ${c.text}`])).toEqual([
      ['move', 'vault Prod: move to Team/Prod'],
      ['update', 'vault Team/Prod: moved here from Prod; update in place: size 100 -> 200'],
      ['move', 'association Prod/Web/srv-1: move to Team/Prod/Web/srv-1 with its backups'],
      ['unchanged', 'association Team/Prod/Web/srv-1: moved here from Prod/Web/srv-1 (the same cloud object)'],
    ]);
    expect(planExitCode(report)).toBe(0);
  });

  test('a new entry whose name is known only at apply may take over a removed one, as its delete hook decides: nothing is deleted', () => {
    const report = analysePlan(plan(
      change('vault', 'Prod', ['delete'], stored('vault', { ...SPECS.vault, removal_policy: 'destroy' }), null),
      change('vault', 'Renamed', ['create'], null, { ...stored('vault', SPECS.vault), input: null }, { input: true }),
    ), 'backup');
    expect(report.changes.map((c) => [c.action, `${c.kind} ${c.key}: ${c.text}`])).toEqual([
      ['move', 'vault Prod: move to Renamed if the values known only at apply name the same vault (it is left in place if not)'],
      ['create', 'vault Renamed: create ((known after apply), (known after apply) GB), or take over the vault of Prod if the values known only at apply name it'],
    ]);
    expect(planExitCode(report)).toBe(0);
  });
});

describe('the hook entry', () => {
  const unchanged = [
    change('vault', 'Prod', ['no-op'], stored('vault', SPECS.vault), stored('vault', SPECS.vault), { triggers_replace: [false, false] }),
    change('tag', 'Owner', ['no-op'], stored('tag', SPECS.tag), stored('tag', SPECS.tag)),
  ];

  test.each([
    ['tainted by a failed apply', 'replace_because_tainted', 'the last apply failed'],
    ['named by -replace', 'replace_by_request', '-replace asked for it'],
    ['for a reason Terraform does not give (before 1.2)', undefined, 'its entry is replaced'],
  ])('replaced, %s, while no object changes: one line for the stack, exit 0', (_how, reason, why) => {
    const report = analysePlan(plan(...unchanged, hookEntry(['delete', 'create'], reason)), 'backup');
    const text = `re-applies every object of the stack (${why}): each is compared with the cloud, and created or updated where it differs`;
    expect(report.changes[0]).toEqual({ kind: 'stack', key: 'terraform_data.cbr_hooks', action: 'reapply', text, deletesData: false });
    expect(report.changes.slice(1).map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
    expect(formatPlanText(report).split('\n')).toEqual([`stack backup: ${text}`, '0 updates in place, 0 additions, 0 moves, 0 deletions of data, every object re-applied']);
    expect(formatPlanMarkdown(report)).toContain(`| stack | \`backup\` | ${text} |`);
    expect(planExitCode(report)).toBe(0);
  });

  test('replaced with an object\'s entry, or with no object declared: no line for the stack', () => {
    const grown = change('vault', 'Prod', ['update'], stored('vault', SPECS.vault), stored('vault', { ...SPECS.vault, size: 200 }));
    expect(lines(analysePlan(plan(grown, unchanged[1], hookEntry(['delete', 'create'], 'replace_because_tainted')), 'backup')))
      .toEqual(['vault Prod: update in place: size 100 -> 200', 'tag Owner: unchanged']);
    expect(analysePlan(plan(hookEntry(['delete', 'create'], 'replace_by_request')), 'backup').changes).toEqual([]);
    expect(analysePlan(plan(...unchanged, hookEntry(['no-op'])), 'backup').changes.map((c) => c.kind)).toEqual(['vault', 'tag']);
  });
});

describe('changes the hooks do not make', () => {
  test('a yearly/monthly vault whose period changes alone is kept as ordered: named, and no update in place', () => {
    const paid = { ...SPECS.vault, charging_mode: 'pre_paid', period_type: 'month', period_num: 1, is_auto_pay: true };
    const report = analysePlan(plan(change('vault', 'Prod', ['delete', 'create'], stored('vault', paid), stored('vault', { ...paid, period_num: 3 }))), 'backup');
    expect(report.changes.map((c) => [c.action, c.text])).toEqual([[
      'keep', 'unchanged in the cloud; not changed by the hook: period_num (set at creation; a subscription\'s period and renewal change in the Billing Center)',
    ]]);
    expect(formatPlanText(report)).toBe([
      'vault backup/Prod: unchanged in the cloud; not changed by the hook: period_num (set at creation; a subscription\'s period and renewal change in the Billing Center)',
      '0 updates in place, 0 additions, 0 moves, 0 deletions of data',
    ].join('\n'));
  });
});

describe('terraform plan -destroy', () => {
  const retainedResource = { ...SPECS.association, retain_on_destroy: true };
  const retainedTag = { ...SPECS.teamTag, retain_on_destroy: true };
  const entries = [
    change('association', 'Prod/Web/srv-1', ['delete'], stored('association', retainedResource), null),
    change('tag', 'Prod/Tag-team', ['delete'], stored('tag', retainedTag), null),
  ];
  const declaring = { root_module: { resources: [{ address: 'terraform_data.cbr_hooks', mode: 'managed', type: 'terraform_data', name: 'cbr_hooks' }] } };

  test('keeps the resources and tags of a retained vault, as the delete hooks do under terraform destroy', () => {
    const report = analysePlan({ ...plan(...entries, hookEntry(['delete'])), configuration: declaring }, 'backup');
    expect(report.changes.map((c) => [c.action, `${c.kind} ${c.key}: ${c.text}`, c.deletesData])).toEqual([
      ['keep', 'association Prod/Web/srv-1: keep srv-1 in "prod" (the vault is retained; dissociating would delete its backups)', false],
      ['keep', 'tag Prod/Tag-team: keep team on "prod" (the vault is retained)', false],
    ]);
    expect(planExitCode(report)).toBe(0);
  });

  test('a stack that no longer declares any object is no destroy: its relations are removed', () => {
    const report = analysePlan({ ...plan(...entries, hookEntry(['delete'])), configuration: { root_module: {} } }, 'backup');
    expect(report.changes.map((c) => [c.action, c.deletesData])).toEqual([['delete', true], ['delete', false]]);
    expect(planExitCode(report)).toBe(2);
  });
});

describe('replication', () => {
  test('an attachment with a destination vault of the stack says where the replicas go', () => {
    const replication = { ...SPECS.attachment, operation_type: 'replication', destination_vault: { by: 'path', value: 'Dr', name: 'dr' } };
    const report = analysePlan(plan(change('attachment', 'Prod/ReplicationPolicy', ['create'], null, stored('attachment', replication))), 'backup');
    expect(lines(report)).toEqual(['attachment Prod/ReplicationPolicy: apply policy "nightly" to "prod", replicating to "dr"']);
    const moved = analysePlan(plan(change('attachment', 'Prod/ReplicationPolicy', ['update'], stored('attachment', replication),
      stored('attachment', { ...replication, destination_vault: { by: 'path', value: 'Dr2', name: 'dr2' } }))), 'backup');
    expect(lines(moved)).toEqual(['attachment Prod/ReplicationPolicy: apply policy "nightly" to "prod", replicating to "dr2" instead of to "dr"']);
  });
});

describe('regions', () => {
  test('a vault whose region changes is another vault, created there; the old one is kept with its backups', () => {
    const report = analysePlan(plan(change('vault', 'Prod', ['delete', 'create'], stored('vault', SPECS.vault),
      stored('vault', { ...SPECS.vault, region: 'eu-west-101', project_id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' }))), 'backup');
    expect(report.changes.map((c) => [c.action, c.text, c.deletesData])).toEqual([[
      'create',
      'create "prod" in region "eu-west-101", project "0a1b2c3d4e5f60718293a4b5c6d7e8f9": a vault does not move between regions or projects, and "prod" in ' +
      'the region and project of the terraform run is kept with its backups (delete it in the console if it should go)',
      false,
    ]]);
    expect(planExitCode(report)).toBe(0);
  });
});
