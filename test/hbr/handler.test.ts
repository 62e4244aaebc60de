import { FakeClock, HbrTestEnv, startHbr } from './support';
import { BackupClientSpec } from '../../src/contract/specs';
import { applyBackupClient, deleteBackupClient, diffBackupClient, readBackupClient } from '../../src/runtime/handlers/backup-client';
import { HookContext, HookError } from '../../src/runtime/handlers/context';
import { NO_HANDOFF } from '../../src/runtime/handlers/handoff';
import { HbrClient } from '../../src/runtime/hbr/client';
import { HookClients, runHook } from '../../src/runtime/hook';

function spec(overrides: Partial<BackupClientSpec> = {}): BackupClientSpec {
  return {
    vault_id: 'v-0001ufe000000kgm',
    instance_ids: ['i-1', 'i-2', 'i-3'],
    source_types: [],
    cluster_id: '',
    alert_setting: '',
    use_https: false,
    resource_group_id: '',
    version_policy: 'upgrade_to_latest',
    access_key_id_env: '',
    access_key_secret_env: '',
    ...overrides,
  };
}

describe('the client hook', () => {
  let env: HbrTestEnv;
  let client: HbrClient;
  let lines: string[];
  const ctx: HookContext = {
    key: 'Backup/Agents',
    report: (l) => lines.push(l),
    unchanged: (l) => lines.push(l),
    declared: () => undefined,
    handoff: NO_HANDOFF,
    replacedOnRequest: () => false,
    destroying: () => undefined,
  };
  const versions = async () => Object.fromEntries((await env.admin('GET', '/state')).clients.map((c: any) => [c.InstanceId, `${c.Status} ${c.ClientVersion}`]));
  const actions = async () => (await env.admin('GET', '/requests')).map((r: any) => r.action).filter((a: string) => a !== 'DescribeBackupClients' && a !== 'DescribeTask');

  beforeEach(async () => {
    env = await startHbr({ config: { instances: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }, { instanceId: 'i-3' }] } }, new FakeClock());
    client = env.client();
    lines = [];
  });
  afterEach(async () => { await env.close(); });

  test('installs on 3 instances, one stopped: the others are done and the failure names it with its ErrorCode; fix and re-apply', async () => {
    await env.admin('POST', '/instances', { instanceId: 'i-3', status: 'Stopped' });
    const err = await applyBackupClient(client, spec(), ctx, {}).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toBe('the HBR client is not working on 1 of 3 instances: i-3: InstanceNotRunning (the ECS instance is not running: ' +
      'start it, then apply again). The other instances are done; fix these and apply again.');
    expect(lines).toEqual(['client Backup/Agents: installed on i-1, i-2; failed i-3']);
    expect(await versions()).toEqual({ 'i-1': 'ACTIVATED 2.4.5', 'i-2': 'ACTIVATED 2.4.5' });

    await env.admin('POST', '/instances', { instanceId: 'i-3', status: 'Running' });
    await env.admin('DELETE', '/requests');
    lines = [];
    await applyBackupClient(client, spec(), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: installed on i-3; unchanged i-1, i-2']);
    expect(await actions()).toEqual(['CreateClients']);
    const create = (await env.admin('GET', '/requests')).find((r: any) => r.action === 'CreateClients');
    expect(JSON.parse(create.params.ClientInfo)).toEqual([{ instanceId: 'i-3', accessKeyId: '', accessKeySecret: '' }]);
    expect(create.params).toMatchObject({ VaultId: 'v-0001ufe000000kgm', UseHttps: 'false' });
    expect(await versions()).toEqual({ 'i-1': 'ACTIVATED 2.4.5', 'i-2': 'ACTIVATED 2.4.5', 'i-3': 'ACTIVATED 2.4.5' });

    // Nothing to do: one describe, no write.
    await env.admin('DELETE', '/requests');
    lines = [];
    await applyBackupClient(client, spec(), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: unchanged i-1, i-2, i-3']);
    expect((await env.admin('GET', '/requests')).map((r: any) => r.action)).toEqual(['DescribeBackupClients']);
  });

  test('after MaxClientVersion moves, UPGRADE_TO_LATEST upgrades exactly the outdated clients', async () => {
    await applyBackupClient(client, spec(), ctx, {});
    await env.admin('POST', '/max-client-version', { version: '2.5.0' });
    const state = await env.admin('GET', '/state');
    const i2 = state.clients.find((c: any) => c.InstanceId === 'i-2');
    await env.admin('POST', `/clients/${i2.ClientId}`, { clientVersion: '2.5.0' }); // already current
    await env.admin('DELETE', '/requests');
    lines = [];
    await applyBackupClient(client, spec(), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: upgraded i-1 2.4.5 -> 2.5.0, i-3 2.4.5 -> 2.5.0; unchanged i-2']);
    const upgrade = (await env.admin('GET', '/requests')).filter((r: any) => r.action === 'UpgradeBackupClients');
    const byInstance = Object.fromEntries(state.clients.map((c: any) => [c.InstanceId, c.ClientId]));
    expect(upgrade.map((r: any) => [JSON.parse(r.params.InstanceIds), JSON.parse(r.params.ClientIds)]))
      .toEqual([[['i-1', 'i-3'], [byInstance['i-1'], byInstance['i-3']]]]);
    expect(await versions()).toEqual({ 'i-1': 'ACTIVATED 2.5.0', 'i-2': 'ACTIVATED 2.5.0', 'i-3': 'ACTIVATED 2.5.0' });
  });

  test('KEEP_INSTALLED leaves outdated clients alone and says so', async () => {
    await applyBackupClient(client, spec({ version_policy: 'keep_installed' }), ctx, {});
    await env.admin('POST', '/max-client-version', { version: '2.5.0' });
    await env.admin('DELETE', '/requests');
    lines = [];
    await applyBackupClient(client, spec({ version_policy: 'keep_installed', instance_ids: ['i-1'] }), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: kept i-1 at 2.4.5 (2.5.0 available; versionPolicy KEEP_INSTALLED)']);
    expect(await actions()).toEqual([]);
  });

  test('each documented ErrorCode names its instance; a single bad instance fails the call itself', async () => {
    await env.admin('POST', '/instances', [{ instanceId: 'i-2', cloudAssistant: false }, { instanceId: 'i-3', status: 'Stopped' }]);
    const err = await applyBackupClient(client, spec({ instance_ids: ['i-1', 'i-2', 'i-3', 'i-9'] }), ctx, {}).catch((e) => e);
    expect(err.message).toContain('not working on 3 of 4 instances: ' +
      'i-2: CloudAssistNotRunningOnInstance (Cloud Assistant is unavailable on the instance: install or start the Cloud Assistant agent, then apply again); ' +
      'i-3: InstanceNotRunning (the ECS instance is not running: start it, then apply again); ' +
      'i-9: InstanceNotExists (the ECS instance does not exist: check the instance id and the region)');
    lines = [];
    const single = await applyBackupClient(client, spec({ instance_ids: ['i-9'] }), ctx, {}).catch((e) => e);
    expect(single.message).toMatch(/^the HBR client is not working on 1 of 1 instance: i-9: InstanceNotExists/);
    expect(lines).toEqual(['client Backup/Agents: failed i-9']);
  });

  test('INSTALL_FAILED is reported, and reinstalled by the next apply', async () => {
    await env.admin('POST', '/instances', { instanceId: 'i-2', installOutcome: 'fail' });
    const err = await applyBackupClient(client, spec({ instance_ids: ['i-1', 'i-2'] }), ctx, {}).catch((e) => e);
    expect(err.message).toMatch(/^the HBR client is not working on 1 of 2 instances: i-2: installation ended with client c-[0-9a-z]{21} INSTALL_FAILED\./);
    await env.admin('POST', '/instances', { instanceId: 'i-2', installOutcome: 'success' });
    lines = [];
    await applyBackupClient(client, spec({ instance_ids: ['i-1', 'i-2'] }), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: installed on i-2; unchanged i-1']);
  });

  test('a job that outlasts the task timeout fails the apply with the task id', async () => {
    await applyBackupClient(client, spec({ instance_ids: ['i-1'] }), ctx, {});
    await env.admin('POST', '/instances', { instanceId: 'i-1', upgradeOutcome: 'hang' });
    await env.admin('POST', '/max-client-version', { version: '2.5.0' });
    const short = env.client({ HBR_TASK_TIMEOUT_MS: '60000', HBR_TASK_POLL_MS: '10000' });
    lines = [];
    const err = await applyBackupClient(short, spec({ instance_ids: ['i-1'] }), ctx, {}).catch((e) => e);
    expect(err.message).toMatch(/i-1: upgrade ended with client c-\w+ UPGRADING at 2\.4\.5; job t-\w+ did not finish within 1 min\./);
    expect(lines).toEqual(['client Backup/Agents: failed i-1']);
  });

  test('waits for clients still INSTALLING from an earlier run instead of installing twice', async () => {
    await client.createClients({ VaultId: 'v-1', ClientInfo: [{ instanceId: 'i-1' }] });
    await env.admin('DELETE', '/requests');
    await applyBackupClient(client, spec({ instance_ids: ['i-1'] }), ctx, {});
    expect(lines).toEqual(['client Backup/Agents: unchanged i-1']);
    expect(await actions()).toEqual([]);
  });

  test('clients no documented call repairs fail with the status and what to do', async () => {
    await env.admin('POST', '/clients', { instanceId: 'i-1', status: 'UNKNOWN' });
    const err = await applyBackupClient(client, spec({ instance_ids: ['i-1'] }), ctx, {}).catch((e) => e);
    expect(err.message).toMatch(/i-1: client c-\w+ is UNKNOWN \(the client is disconnected; check that the instance is running/);
  });

  test('ClientInfo access keys come from the environment variables the spec names, never from the spec', async () => {
    const withKeys = spec({ instance_ids: ['i-1'], access_key_id_env: 'HBR_CLIENT_AK', access_key_secret_env: 'HBR_CLIENT_SK', source_types: ['HANA'], cluster_id: 'cl-1', alert_setting: 'INHERITED', use_https: true, resource_group_id: 'rg-1' });
    const missing = await applyBackupClient(client, withKeys, ctx, { HBR_CLIENT_AK: 'LTAIclient' }).catch((e) => e);
    expect(missing.message).toMatch(/^the environment variable HBR_CLIENT_SK \(named by accessKeySecretEnv\) is not set/);
    await applyBackupClient(client, withKeys, ctx, { HBR_CLIENT_AK: 'LTAIclient', HBR_CLIENT_SK: 'client-secret-value' });
    const create = (await env.admin('GET', '/requests')).find((r: any) => r.action === 'CreateClients');
    expect(JSON.parse(create.params.ClientInfo)).toEqual([{ instanceId: 'i-1', accessKeyId: 'LTAIclient', accessKeySecret: '******', clusterId: 'cl-1', sourceTypes: ['HANA'] }]);
    expect(create.params).toMatchObject({ AlertSetting: 'INHERITED', UseHttps: 'true', ResourceGroupId: 'rg-1' });
    expect(lines.join('\n')).not.toContain('client-secret-value');
  });

  test('read and diff: missing clients, outdated versions (when upgrading), UseHttps', async () => {
    expect(await readBackupClient(client, spec())).toBeUndefined();
    await applyBackupClient(client, spec({ instance_ids: ['i-1', 'i-2'] }), ctx, {});
    await env.admin('POST', '/max-client-version', { version: '2.5.0' });
    const live = await readBackupClient(client, spec());
    expect(live).toMatchObject({ missing: ['i-3'], instances: { 'i-1': { status: 'ACTIVATED', client_version: '2.4.5', max_client_version: '2.5.0', use_https: false } } });
    expect(diffBackupClient(spec({ use_https: true }), live!).map((c) => `${c.field} ${String(c.live)} -> ${String(c.desired)}`)).toEqual([
      'i-1.client_version 2.4.5 -> 2.5.0', 'i-1.use_https false -> true',
      'i-2.client_version 2.4.5 -> 2.5.0', 'i-2.use_https false -> true',
      'i-3.status (no client) -> ACTIVATED',
    ]);
    expect(diffBackupClient(spec({ version_policy: 'keep_installed', instance_ids: ['i-1'] }), live!)).toEqual([]);
  });

  test('delete calls nothing: the documents give no uninstall operation', async () => {
    await deleteBackupClient(spec(), ctx);
    expect(lines).toEqual(['client Backup/Agents: left installed on i-1, i-2, i-3 (HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)']);
  });

  test('runHook builds only the HBR client, and none for delete', async () => {
    const noCbr = () => { throw new Error('the CBR client must not be built for an HBR hook'); };
    const out: string[] = [];
    const clients: HookClients = { cbr: noCbr, hbr: () => client };
    const inv = { kind: 'client' as const, key: 'Backup/Agents', spec: spec({ instance_ids: ['i-1'] }) };
    expect(await runHook({ ...inv, action: 'diff' }, clients, (l) => out.push(l))).toBe(2);
    // Applying is the hook entry's (src/runtime/batch.ts), which hands the handler the HBR client only.
    await applyBackupClient(clients.hbr(), inv.spec, { ...ctx, report: (l) => out.push(l) }, {});
    expect(await runHook({ ...inv, action: 'diff' }, clients, (l) => out.push(l))).toBe(0);
    expect(await runHook({ ...inv, action: 'delete' }, { cbr: noCbr, hbr: noCbr }, (l) => out.push(l))).toBe(0);
    expect(out).toEqual([
      'client Backup/Agents: missing',
      'client Backup/Agents: installed on i-1',
      'client Backup/Agents: in sync',
      expect.stringMatching(/^client Backup\/Agents: left installed on i-1 /),
    ]);
  });
});
