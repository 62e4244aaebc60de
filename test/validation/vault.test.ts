import { Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { CloudType, ConsistentLevel, ProtectType, RemovalPolicy, Vault, VaultObjectType, VaultProps } from '../../src';
import { specsOf } from '../support/specs';

const PATH = 'backup/Prod';
const BASE: VaultProps = { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 };

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'backup');
}

function vault(props: Partial<VaultProps>): Vault {
  return new Vault(stack(), 'Prod', { ...BASE, ...props });
}

const tags = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i + 1}`, `v${i + 1}`]));
const BOOL = (field: string, api: string, table: string): string =>
  `${api} is true or false (API 4.5.1 table ${table}). Use true or false, or leave ${field} out.`;

/** [behaviour, props, exact message]. */
const FAILURES: [string, Partial<VaultProps>, string][] = [
  // name and description: 4.5.1 table 4-153, 4.5.4 table 4-202
  ['fails when the vault name is empty', { vaultName: '' },
    `${PATH}: vaultName "" is invalid: a vault name has 1-64 characters (API 4.5.1 table 4-153, 4.5.4 table 4-202). Give a name, or leave vaultName out for a generated one.`],
  ['fails when the vault name has 65 characters', { vaultName: 'v'.repeat(65) },
    `${PATH}: vaultName "${'v'.repeat(65)}" is invalid: a vault name has 1-64 characters (API 4.5.1 table 4-153, 4.5.4 table 4-202). Use a string of at most 64 characters.`],
  ['fails when the vault name has 65 non-ASCII characters', { vaultName: '库'.repeat(65) },
    `${PATH}: vaultName "${'库'.repeat(65)}" is invalid: a vault name has 1-64 characters (API 4.5.1 table 4-153, 4.5.4 table 4-202). Use a string of at most 64 characters.`],
  ['fails when the description has 65 characters', { description: 'd'.repeat(65) },
    `${PATH}: description "${'d'.repeat(65)}" is invalid: a vault description has at most 64 characters (API 4.5.1 table 4-153). Shorten it by 1 character.`],
  ['fails when the description has 100 characters', { description: 'd'.repeat(100) },
    `${PATH}: description "${'d'.repeat(100)}" is invalid: a vault description has at most 64 characters (API 4.5.1 table 4-153). Shorten it by 36 characters.`],
  ['fails when the description is not a string', { description: 42 as unknown as string },
    `${PATH}: description 42 is invalid: a vault description has at most 64 characters (API 4.5.1 table 4-153). Use a string of at most 64 characters.`],
  // enumerations: table 4-154
  ['fails when the object type is unknown', { objectType: 'database' as VaultObjectType },
    `${PATH}: objectType "database" is invalid: the object type is one of server, disk, turbo, workspace, vmware, rds, file (billing.object_type, API 4.5.1 table 4-154). Use a VaultObjectType value, e.g. VaultObjectType.SERVER.`],
  ['fails when the object type is missing', { objectType: undefined },
    `${PATH}: objectType undefined is invalid: the object type is one of server, disk, turbo, workspace, vmware, rds, file (billing.object_type, API 4.5.1 table 4-154). Use a VaultObjectType value, e.g. VaultObjectType.SERVER.`],
  ['fails when the object type is in upper case', { objectType: 'SERVER' as VaultObjectType },
    `${PATH}: objectType "SERVER" is invalid: the object type is one of server, disk, turbo, workspace, vmware, rds, file (billing.object_type, API 4.5.1 table 4-154). Use a VaultObjectType value, e.g. VaultObjectType.SERVER.`],
  ['fails when the protection type is unknown', { protectType: 'archive' as ProtectType },
    `${PATH}: protectType "archive" is invalid: the protection type is backup or replication (billing.protect_type, API 4.5.1 table 4-154). Use ProtectType.BACKUP or ProtectType.REPLICATION.`],
  ['fails when the consistency level is unknown', { consistentLevel: 'app' as ConsistentLevel },
    `${PATH}: consistentLevel "app" is invalid: the vault specification is crash_consistent or app_consistent (billing.consistent_level, API 4.5.1 table 4-154). Use ConsistentLevel.CRASH_CONSISTENT or ConsistentLevel.APP_CONSISTENT.`],
  ['fails when the cloud type is unknown', { cloudType: 'private' as CloudType },
    `${PATH}: cloudType "private" is invalid: the cloud type is public or hybrid (billing.cloud_type, API 4.5.1 table 4-154). Use CloudType.PUBLIC or CloudType.HYBRID.`],
  // capacity: table 4-154
  ['fails when the size is 9 GB', { size: 9 },
    `${PATH}: size 9 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.`],
  ['fails when the size is 10485761 GB', { size: 10485761 },
    `${PATH}: size 10485761 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.`],
  ['fails when the size is fractional', { size: 10.5 },
    `${PATH}: size 10.5 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.`],
  ['fails when the size is a string', { size: '100' as unknown as number },
    `${PATH}: size "100" is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.`],
  // threshold: table 4-153, 4-202
  ['fails when the threshold is 0', { threshold: 0 },
    `${PATH}: threshold 0 is invalid: threshold is a whole percentage from 1 to 100 (API 4.5.1). Use a value in that range, or omit it for 80.`],
  ['fails when the threshold is 101', { threshold: 101 },
    `${PATH}: threshold 101 is invalid: threshold is a whole percentage from 1 to 100 (API 4.5.1). Use a value in that range, or omit it for 80.`],
  ['fails when the threshold is fractional', { threshold: 80.5 },
    `${PATH}: threshold 80.5 is invalid: threshold is a whole percentage from 1 to 100 (API 4.5.1). Use a value in that range, or omit it for 80.`],
  // booleans: tables 4-153, 4-154
  ['fails when isMultiAz is a string', { isMultiAz: 'true' as unknown as boolean },
    `${PATH}: isMultiAz "true" is invalid: ${BOOL('isMultiAz', 'billing.is_multi_az', '4-154')}`],
  ['fails when autoExpand is a number', { autoExpand: 1 as unknown as boolean },
    `${PATH}: autoExpand 1 is invalid: ${BOOL('autoExpand', 'auto_expand', '4-153')}`],
  ['fails when autoBind is a string', { autoBind: 'yes' as unknown as boolean },
    `${PATH}: autoBind "yes" is invalid: ${BOOL('autoBind', 'auto_bind', '4-153')}`],
  ['fails when smnNotify is null', { smnNotify: null as unknown as boolean },
    `${PATH}: smnNotify null is invalid: ${BOOL('smnNotify', 'smn_notify', '4-153')}`],
  // backup name prefix: table 4-153
  ['fails when the backup name prefix has 33 characters', { backupNamePrefix: 'p'.repeat(33) },
    `${PATH}: backupNamePrefix "${'p'.repeat(33)}" is invalid: a backup name prefix has at most 32 characters (backup_name_prefix, API 4.5.1 table 4-153). Shorten it by 1 character.`],
  // bind rules: tables 4-158, 4-159
  ['fails when there are 6 bind rules', { bindRules: tags(6) },
    `${PATH}: bindRules ["k1","k2","k3","k4","k5","k6"] is invalid: a vault takes at most 5 bind rules, got 6 (bind_rules.tags, API 4.5.1 table 4-158). Remove 1 of them.`],
  ['fails when a bind rule key has a space', { bindRules: { 'backup policy': 'daily' } },
    `${PATH}: bindRules key "backup policy" is invalid: a bind rule key has at least one character, and only letters, digits, hyphens (-) and underscores (_) (API 4.5.1 table 4-159). Use the key of the resource tag to match, without other characters.`],
  ['fails when a bind rule key has a forbidden character', { bindRules: { 'a=b': 'x' } },
    `${PATH}: bindRules key "a=b" is invalid: a bind rule key has at least one character, and only letters, digits, hyphens (-) and underscores (_) (API 4.5.1 table 4-159). Use the key of the resource tag to match, without other characters.`],
  ['fails when a bind rule key is empty', { bindRules: { '': 'x' } },
    `${PATH}: bindRules key "" is invalid: a bind rule key has at least one character, and only letters, digits, hyphens (-) and underscores (_) (API 4.5.1 table 4-159). Use the key of the resource tag to match, without other characters.`],
  ['fails when a bind rule value has a slash', { bindRules: { env: 'prod/eu' } },
    `${PATH}: bindRules["env"] "prod/eu" is invalid: a bind rule value has only letters, digits, periods (.), hyphens (-) and underscores (_) (API 4.5.1 table 4-159). Remove the other characters.`],
  ['fails when a bind rule value is not a string', { bindRules: { env: 5 as unknown as string } },
    `${PATH}: bindRules["env"] 5 is invalid: a bind rule value has only letters, digits, periods (.), hyphens (-) and underscores (_) (API 4.5.1 table 4-159). Remove the other characters.`],
  ['fails when bind rules are a list', { bindRules: ['env'] as unknown as Record<string, string> },
    `${PATH}: bindRules ["env"] is invalid: bind rules map tag keys to tag values (bind_rules.tags, API 4.5.1 table 4-158). Use an object such as { backup: "daily" }.`],
  // enterprise project: 4.7.2 table 4-328
  ['fails when the enterprise project is the query-only all_granted_eps', { enterpriseProjectId: 'all_granted_eps' },
    `${PATH}: enterpriseProjectId "all_granted_eps" is invalid: an enterprise project ID is "0" (the default enterprise project) or a UUID (API 4.7.2 table 4-328). Copy the ID from the Enterprise Project Management console, or leave enterpriseProjectId out for "0".`],
  ['fails when the enterprise project is empty', { enterpriseProjectId: '' },
    `${PATH}: enterpriseProjectId "" is invalid: an enterprise project ID is "0" (the default enterprise project) or a UUID (API 4.7.2 table 4-328). Copy the ID from the Enterprise Project Management console, or leave enterpriseProjectId out for "0".`],
  ['fails when the enterprise project is a name', { enterpriseProjectId: 'finance' },
    `${PATH}: enterpriseProjectId "finance" is invalid: an enterprise project ID is "0" (the default enterprise project) or a UUID (API 4.7.2 table 4-328). Copy the ID from the Enterprise Project Management console, or leave enterpriseProjectId out for "0".`],
  // tags: 4.5.1 table 4-153, 4.7.3
  ['fails when Vault.tags has 10 tags (the ownership tag is the 11th)', { tags: tags(10) },
    `${PATH}: tags ["k1","k2","k3","k4","k5","k6","k7","k8","k9","k10"] is invalid: a vault has at most 10 tags (API 4.5.1 table 4-153, 4.7.3) and one is the ownership tag "cdktf-cbr" this library adds, so Vault.tags takes at most 9, got 10. Remove 1 of them.`],
  ['fails when Vault.tags has 12 tags', { tags: tags(12) },
    `${PATH}: tags ["k1","k2","k3","k4","k5","k6","k7","k8","k9","k10","k11","k12"] is invalid: a vault has at most 10 tags (API 4.5.1 table 4-153, 4.7.3) and one is the ownership tag "cdktf-cbr" this library adds, so Vault.tags takes at most 9, got 12. Remove 3 of them.`],
  ['fails when Vault.tags is a list', { tags: [['team', 'a']] as unknown as Record<string, string> },
    `${PATH}: tags [["team","a"]] is invalid: tags map keys to values (API 4.5.1 table 4-157). Use an object such as { team: "platform" }.`],
  // library rule
  ['fails when the removal policy is unknown', { removalPolicy: 'keep' as RemovalPolicy },
    `${PATH}: removalPolicy "keep" is invalid: a removal policy is retain or destroy. Use RemovalPolicy.RETAIN or RemovalPolicy.DESTROY.`],
];

/** [behaviour, props]: each is valid. */
const VALID: [string, Partial<VaultProps>][] = [
  ['accepts a 64-character name', { vaultName: 'v'.repeat(64) }],
  ['accepts 64 characters outside the BMP (128 UTF-16 units)', { vaultName: '😀'.repeat(64) }],
  ['accepts a 64-character description', { description: 'd'.repeat(64) }],
  ['accepts the smallest size', { size: 10 }],
  ['accepts the largest size', { size: 10485760 }],
  ['accepts threshold 1', { threshold: 1 }],
  ['accepts threshold 100', { threshold: 100 }],
  ['accepts a 32-character backup name prefix', { backupNamePrefix: 'p'.repeat(32) }],
  ['accepts an empty backup name prefix', { backupNamePrefix: '' }],
  ['accepts 5 bind rules with letters, digits, hyphens, underscores and periods', { autoBind: true, bindRules: { 'a': 'x.1', 'b_2': 'y-2', 'c-3': '', 'd': 'Z', 'e': '9' } }],
  ['accepts non-ASCII letters in bind rules', { bindRules: { 环境: '生产' } }],
  ['accepts an enterprise project UUID', { enterpriseProjectId: 'b4d9e7f1-5a2c-4e3b-8f6d-0c1a2b3c4d5e' }],
  ['accepts the default enterprise project', { enterpriseProjectId: '0' }],
  ['accepts 9 tags', { tags: tags(9) }],
  ['accepts every enumeration value', {
    objectType: VaultObjectType.VMWARE,
    protectType: ProtectType.REPLICATION,
    consistentLevel: ConsistentLevel.APP_CONSISTENT,
    cloudType: CloudType.HYBRID,
  }],
  ['accepts auto expansion on a pay-per-use vault', { autoExpand: true, isMultiAz: true, smnNotify: false }],
];

describe('Vault validation', () => {
  test.each(FAILURES)('%s', (_name, props, message) => {
    expect(() => vault(props)).toThrow(new Error(message));
  });

  test.each(VALID)('%s', (_name, props) => {
    expect(() => vault(props)).not.toThrow();
  });

  test('reports the first broken rule in a stable order (name, then size)', () => {
    expect(() => vault({ vaultName: '', size: 1 })).toThrow(/^backup\/Prod: vaultName "" is invalid/);
  });

  test('leaves values given as tokens to the API', () => {
    const s = stack();
    const size = new TerraformVariable(s, 'size', { type: 'number' }).numberValue;
    const name = new TerraformVariable(s, 'name', { type: 'string' }).stringValue;
    new Vault(s, 'Prod', {
      vaultName: name,
      objectType: VaultObjectType.DISK,
      size,
      threshold: size,
      description: Lazy.stringValue({ produce: () => 'd'.repeat(100) }),
      autoExpand: new TerraformVariable(s, 'expand', { type: 'bool' }).booleanValue as unknown as boolean,
    });
    const spec = specsOf(JSON.parse(Testing.synth(s)), 'vault').Prod;
    expect(spec).toMatchObject({ name: '${var.name}', size: '${var.size}', threshold: '${var.size}', auto_expand: '${var.expand}' });
  });
});
