import { POLICIES, policyBody, PROJECT, TestEmulator, vaultBody, VAULTS } from './helpers';

/** 4.5.8 Applying a Policy to a Vault and 4.5.9 Removing a Policy from a Vault. */

const P9900 = 'Parameter verification failed.';


/** A replication policy to another region: its destination vault cannot be seen from here. */
const OTHER_REGION = { destination_region: 'emulator-region-2', destination_project_id: '0123456789abcdef0123456789abcdef', max_backups: 3 };
/** A replication policy into this emulator's own region and project: its destination vault is checked. */
const SAME_REGION = { destination_region: 'emulator-region-1', destination_project_id: PROJECT, max_backups: 3 };

describe('applying policies to vaults', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start();
  });
  afterEach(() => emu.close());

  async function create(path: string, body: unknown): Promise<any> {
    const res = await emu.call('POST', path, { body });
    expect(res.status).toBe(200);
    return res.body.vault ?? res.body.policy;
  }
  const associate = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/associatepolicy`, { body });
  const dissociate = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/dissociatepolicy`, { body });
  const expectError = (res: { status: number; body: unknown }, status: number, code: string, msg: string) =>
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { error_code: code, error_msg: msg } });

  test('4.5.8 example applies a policy: 200 with associate_policy, seen from the policy and the vault list', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const policy = await create(POLICIES, policyBody('daily'));
    // The example's body, with its policy id replaced by one that exists.
    const res = await associate(vault.id, { policy_id: policy.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: policy.id } });
    expect((await emu.call('GET', `${POLICIES}/${policy.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
    const listed = await emu.call('GET', VAULTS, { query: { policy_id: policy.id } });
    expect(listed.body.vaults.map((v: any) => v.id)).toEqual([vault.id]);
    const policies = await emu.call('GET', POLICIES, { query: { vault_id: vault.id } });
    expect(policies.body.policies.map((p: any) => p.id)).toEqual([policy.id]);
  });

  test('4.5.9 example removes the policy: 200 with dissociate_policy', async () => {
    const policy = await create(POLICIES, policyBody('daily'));
    const vault = (await emu.call('POST', VAULTS, { body: { vault: { ...vaultBody('v').vault, backup_policy_id: policy.id } } })).body.vault;
    const res = await dissociate(vault.id, { policy_id: policy.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dissociate_policy: { vault_id: vault.id, policy_id: policy.id } });
    expect((await emu.call('GET', `${POLICIES}/${policy.id}`)).body.policy.associated_vaults).toEqual([]);
    expect((await emu.call('GET', VAULTS, { query: { policy_id: policy.id } })).body.count).toBe(0);
  });

  test('applies a replication policy with its destination vault in another region', async () => {
    const vault = await create(VAULTS, vaultBody('src'));
    const repl = await create(POLICIES, policyBody('repl', 'replication', OTHER_REGION));
    const res = await associate(vault.id, { policy_id: repl.id, destination_vault_id: 'vault-in-region-2' });
    expect(res.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: repl.id, destination_vault_id: 'vault-in-region-2' } });
    expect((await emu.call('GET', `${POLICIES}/${repl.id}`)).body.policy.associated_vaults)
      .toEqual([{ destination_vault_id: 'vault-in-region-2', vault_id: vault.id }]);
    const removed = await dissociate(vault.id, { policy_id: repl.id });
    expect(removed.body).toEqual({ dissociate_policy: { vault_id: vault.id, policy_id: repl.id, destination_vault_id: 'vault-in-region-2' } });
  });

  test('checks the destination vault when it is in this region: it must exist and be a replication vault of the same kind', async () => {
    const src = await create(VAULTS, vaultBody('src'));
    const backupVault = await create(VAULTS, vaultBody('other-backup'));
    const diskReplica = await create(VAULTS, vaultBody('disk-replica', { protect_type: 'replication', object_type: 'disk' }));
    const replica = await create(VAULTS, vaultBody('replica', { protect_type: 'replication' }));
    const repl = await create(POLICIES, policyBody('repl', 'replication', SAME_REGION));
    expectError(await associate(src.id, { policy_id: repl.id, destination_vault_id: '00000000-0000-4000-8000-000000000000' }), 400, 'BackupService.6120',
      'The destination vault does not exist. destination_vault_id "00000000-0000-4000-8000-000000000000" names no vault in region emulator-region-1.');
    expectError(await associate(src.id, { policy_id: repl.id, destination_vault_id: backupVault.id }), 400, 'BackupService.6119',
      `The destination vault does not support replication. destination vault ${backupVault.id} is a backup vault, not a replication vault.`);
    expectError(await associate(src.id, { policy_id: repl.id, destination_vault_id: diskReplica.id }), 400, 'BackupService.6119',
      `The destination vault does not support replication. destination vault ${diskReplica.id} holds disk replicas; vault ${src.id} is a server vault.`);
    expectError(await associate(src.id, { policy_id: repl.id, destination_vault_id: src.id }), 400, 'BackupService.9900',
      `${P9900} destination_vault_id "${src.id}" is the vault itself.`);
    expect((await associate(src.id, { policy_id: repl.id, destination_vault_id: replica.id })).status).toBe(200);
  });

  test('fails to apply a second backup policy (6001) and succeeds applying the same one again', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const first = await create(POLICIES, policyBody('first'));
    const second = await create(POLICIES, policyBody('second'));
    expect((await associate(vault.id, { policy_id: first.id })).status).toBe(200);
    expectError(await associate(vault.id, { policy_id: second.id }), 400, 'BackupService.6001',
      `The maximum number of this type of policies has been reached. Vault ${vault.id} already has backup policy ${first.id}; remove it (dissociatepolicy) before applying ${second.id}.`);
    const again = await associate(vault.id, { policy_id: first.id });
    expect(again.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: first.id } });
    expect((await emu.call('GET', `${POLICIES}/${first.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
    // Removing the first makes room for the second.
    expect((await dissociate(vault.id, { policy_id: first.id })).status).toBe(200);
    expect((await associate(vault.id, { policy_id: second.id })).status).toBe(200);
  });

  test('a vault takes one backup and one replication policy; re-applying the replication policy moves its destination', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const backup = await create(POLICIES, policyBody('daily'));
    const repl = await create(POLICIES, policyBody('repl', 'replication', OTHER_REGION));
    const repl2 = await create(POLICIES, policyBody('repl2', 'replication', OTHER_REGION));
    expect((await associate(vault.id, { policy_id: backup.id })).status).toBe(200);
    expect((await associate(vault.id, { policy_id: repl.id, destination_vault_id: 'd1' })).status).toBe(200);
    expect((await associate(vault.id, { policy_id: repl2.id, destination_vault_id: 'd1' })).body.error_code).toBe('BackupService.6001');
    expect((await associate(vault.id, { policy_id: repl.id, destination_vault_id: 'd2' })).body.associate_policy.destination_vault_id).toBe('d2');
    expect((await emu.call('GET', `${POLICIES}/${repl.id}`)).body.policy.associated_vaults).toEqual([{ destination_vault_id: 'd2', vault_id: vault.id }]);
  });

  test('add_policy_ids applies several policies at once and answers with the first', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const backup = await create(POLICIES, policyBody('daily'));
    const repl = await create(POLICIES, policyBody('repl', 'replication', OTHER_REGION));
    const res = await associate(vault.id, { add_policy_ids: [backup.id, repl.id], destination_vault_id: 'd1' });
    expect(res.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: backup.id } });
    const names = (await emu.call('GET', POLICIES, { query: { vault_id: vault.id } })).body.policies.map((p: any) => p.name);
    expect(names).toEqual(['daily', 'repl']);
  });

  test('fails when two backup policies are given in one request, and applies none', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const a = await create(POLICIES, policyBody('a'));
    const b = await create(POLICIES, policyBody('b'));
    expectError(await associate(vault.id, { add_policy_ids: [a.id, b.id] }), 400, 'BackupService.6001',
      `The maximum number of this type of policies has been reached. add_policy_ids[1] is a second backup policy in the request (with ${a.id}); a vault takes one.`);
    expect((await emu.call('GET', `${POLICIES}/${a.id}`)).body.policy.associated_vaults).toEqual([]);
  });

  test('fails when the policy does not fit the vault (6127, 6136)', async () => {
    const replicaVault = await create(VAULTS, vaultBody('replica', { protect_type: 'replication' }));
    const hybrid = await create(VAULTS, vaultBody('hybrid', { cloud_type: 'hybrid' }));
    const backup = await create(POLICIES, policyBody('daily'));
    const repl = await create(POLICIES, policyBody('repl', 'replication', OTHER_REGION));
    expectError(await associate(replicaVault.id, { policy_id: backup.id }), 400, 'BackupService.6127',
      `This policy cannot be applied to this vault. backup policy ${backup.id} cannot be applied to vault ${replicaVault.id}, a replication vault; it needs a backup vault.`);
    expectError(await associate(replicaVault.id, { policy_id: repl.id, destination_vault_id: 'd' }), 400, 'BackupService.6127',
      `This policy cannot be applied to this vault. replication policy ${repl.id} cannot be applied to vault ${replicaVault.id}, a replication vault; it needs a backup vault.`);
    expectError(await associate(hybrid.id, { policy_id: backup.id }), 400, 'BackupService.6136',
      `Backup policies cannot be applied with hybrid cloud backup vaults. vault ${hybrid.id} is a hybrid cloud vault.`);
  });

  test('fails on bad request bodies with the documented codes', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const backup = await create(POLICIES, policyBody('daily'));
    const repl = await create(POLICIES, policyBody('repl', 'replication', OTHER_REGION));
    const cases: Array<[unknown, number, string, string]> = [
      [{}, 400, 'BackupService.9900', `${P9900} Specify either policy_id or add_policy_ids in a request.`],
      [{ policy_id: backup.id, add_policy_ids: [backup.id] }, 400, 'BackupService.9900', `${P9900} Specify either policy_id or add_policy_ids in a request.`],
      [{ add_policy_ids: [] }, 400, 'BackupService.9900', `${P9900} add_policy_ids must contain from 1 to 10 items, got 0.`],
      [{ add_policy_ids: [backup.id, backup.id] }, 400, 'BackupService.9900', `${P9900} add_policy_ids[1] "${backup.id}" is given more than once.`],
      [{ policy_id: 7 }, 400, 'BackupService.9900', `${P9900} policy_id must be a string, got 7.`],
      [{ policy_id: backup.id, extra: true }, 400, 'BackupService.9900', `${P9900} extra is not a parameter of this API.`],
      [{ policy_id: repl.id }, 400, 'BackupService.9900', `${P9900} destination_vault_id is mandatory when a replication policy is applied (policy ${repl.id}).`],
      [{ policy_id: backup.id, destination_vault_id: 'd' }, 400, 'BackupService.9900', `${P9900} destination_vault_id is used only when a replication policy is set.`],
      [{ policy_id: '00000000-0000-4000-8000-000000000000' }, 404, 'BackupService.6000',
        'The policy does not exist. policy_id "00000000-0000-4000-8000-000000000000" names no policy.'],
    ];
    for (const [body, status, code, msg] of cases) expectError(await associate(vault.id, body), status, code, msg);
    expectError(await associate('00000000-0000-4000-8000-000000000000', { policy_id: backup.id }), 404, 'BackupService.6105',
      'The vault does not exist. No vault has the id "00000000-0000-4000-8000-000000000000".');
  });

  test('fails to remove a policy that is not applied (404 BackupService.6002), or does not exist (6000)', async () => {
    const vault = await create(VAULTS, vaultBody('v'));
    const policy = await create(POLICIES, policyBody('daily'));
    expectError(await dissociate(vault.id, { policy_id: policy.id }), 404, 'BackupService.6002',
      `The vault is not applied with the policy. Policy ${policy.id} is not applied to vault ${vault.id}.`);
    expectError(await dissociate(vault.id, { policy_id: 'nope' }), 404, 'BackupService.6000', 'The policy does not exist. policy_id "nope" names no policy.');
    expectError(await dissociate(vault.id, {}), 400, 'BackupService.9900', `${P9900} policy_id is mandatory.`);
    expectError(await dissociate('nope', { policy_id: policy.id }), 404, 'BackupService.6105', 'The vault does not exist. No vault has the id "nope".');
  });

  test('deleting the destination vault ends the replication link', async () => {
    const src = await create(VAULTS, vaultBody('src'));
    const replica = await create(VAULTS, vaultBody('replica', { protect_type: 'replication' }));
    const repl = await create(POLICIES, policyBody('repl', 'replication', SAME_REGION));
    expect((await associate(src.id, { policy_id: repl.id, destination_vault_id: replica.id })).status).toBe(200);
    expect((await emu.call('DELETE', `${VAULTS}/${replica.id}`)).status).toBe(204);
    expect((await emu.call('GET', `${POLICIES}/${repl.id}`)).body.policy.associated_vaults).toEqual([]);
  });
});
