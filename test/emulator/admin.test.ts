import { EMPTY_STATE, PROJECT, TestEmulator } from './helpers';

describe('admin endpoints', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start();
  });
  afterEach(() => emu.close());

  test('need no authentication and are not logged', async () => {
    const health = await fetch(`${emu.url}/_emulator/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(await emu.admin('GET', '/_emulator/state')).toEqual(EMPTY_STATE);
    expect(await emu.admin('GET', '/_emulator/requests')).toEqual([]);
  });

  test('state lists full vault objects and policies with their vaults', async () => {
    const p = (await emu.call('POST', `/v3/${PROJECT}/policies`, {
      body: { policy: { name: 'p', operation_type: 'backup', operation_definition: {}, trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } } } },
    })).body.policy;
    const v = (await emu.call('POST', `/v3/${PROJECT}/vaults`, {
      body: {
        vault: {
          name: 'v',
          backup_policy_id: p.id,
          backup_name_prefix: 'nightly',
          resources: [],
          billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 10 },
        },
      },
    })).body.vault;
    const state = await emu.admin('GET', '/_emulator/state');
    expect(state.vaults).toEqual([v]);
    expect(state.vaults[0].backup_name_prefix).toBe('nightly');
    expect(state.policies).toEqual([{ ...p, associated_vaults: [{ vault_id: v.id }] }]);
  });

  test('fails with 404 on an unknown admin path', async () => {
    const res = await fetch(`${emu.url}/_emulator/nothing`);
    expect(res.status).toBe(404);
    expect((await res.json() as any).error_code).toBe('APIGW.0101');
  });
});
