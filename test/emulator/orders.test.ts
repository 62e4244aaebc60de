import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT, TestEmulator } from './helpers';

/** 4.5.14 Creating a Yearly/Monthly Vault, and what DELETE does to such a vault. */

const VAULTS = `/v3/${PROJECT}/vaults`;
const ORDER = `/v3/${PROJECT}/vaults/order`;
const POLICIES = `/v3/${PROJECT}/policies`;
const P9900 = 'Parameter verification failed.';

// 4.5.14 first example request (seed 003).
const EXAMPLE_1 = {
  vault: {
    name: 'vault_name',
    billing: { consistent_level: 'app_consistent', object_type: 'server', protect_type: 'backup', size: 80, charging_mode: 'pre_paid', period_type: 'month', period_num: 1 },
    resources: [{ id: '23a320a5-3efd-4568-b1aa-8dd9183cc64c', type: 'OS::Nova::Server' }],
  },
};

// 4.5.14 second example request (seed 003), its backup_policy_id replaced by one that exists.
function example2(policyId: string) {
  return {
    vault: {
      name: '123',
      description: 'description',
      backup_policy_id: policyId,
      tags: [{ key: 'key', value: 'value' }],
      auto_bind: false,
      threshold: 80,
      smn_notify: true,
      parameters: { combined_order: { combined_order_id: 'CS2303030959MR1IT', combined_order_ecs_num: 5, combined_order_num: 5 } },
      bind_rules: { tags: [{ key: 'bind_rules_key', value: 'bind_rules_value' }] },
      billing: {
        cloud_type: 'public',
        is_auto_renew: false,
        is_auto_pay: false,
        console_url: 'https://www.com',
        consistent_level: 'app_consistent',
        object_type: 'server',
        protect_type: 'backup',
        size: 80,
        charging_mode: 'pre_paid',
        period_type: 'month',
        period_num: 1,
      },
      resources: [{ id: '8ef08ba1-81f7-4e41-ae49-d3e2fb0ba388', type: 'OS::Nova::Server', name: 'server_name', extra_info: { exclude_volumes: ['1855eb9a-2b5e-4938-a9f0-aea08b6f9243'] } }],
    },
  };
}

const POLICY = {
  policy: { name: 'daily', operation_type: 'backup', operation_definition: { max_backups: 3 }, trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } } },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Res = { status: number; body: unknown };
const expectError = (res: Res, status: number, code: string, msg: string) =>
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error_code: code, error_msg: msg } });

describe('yearly/monthly vaults', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  async function waitForVault(id: string): Promise<any> {
    for (let i = 0; i < 100; i++) {
      const res = await emu.call('GET', `${VAULTS}/${id}`);
      if (res.status === 200) return res.body.vault;
      await sleep(10);
    }
    throw new Error(`vault ${id} never appeared`);
  }

  test('the first example orders a vault: the documented response at once, the vault after the delay', async () => {
    emu = await TestEmulator.start({ orderDelayMs: 150 });
    const res = await emu.call('POST', ORDER, { body: EXAMPLE_1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orders: [{ orderId: expect.stringMatching(/^CS\d{10}[0-9A-F]{5}$/), cloudServiceId: 'cbr', subscribeResult: 1, resourceId: expect.any(String) }],
      retCode: 0,
      errText: 'success',
      error_code: '0',
    });
    const { orderId, resourceId } = res.body.orders[0];
    // Not there yet.
    expect((await emu.call('GET', `${VAULTS}/${resourceId}`)).body.error_code).toBe('BackupService.6105');
    expect((await emu.admin('GET', '/_emulator/state')).orders).toEqual([expect.objectContaining({ order_id: orderId, resource_id: resourceId, status: 'pending' })]);
    const vault = await waitForVault(resourceId);
    expect(vault).toMatchObject({
      id: resourceId,
      name: 'vault_name',
      billing: {
        charging_mode: 'pre_paid',
        order_id: orderId,
        product_id: expect.stringMatching(/^00301-\d{6}-0--0$/),
        consistent_level: 'app_consistent',
        size: 80,
        spec_code: 'vault.backup.server.normal',
        status: 'available',
        is_multi_az: false,
      },
      resources: [{ id: '23a320a5-3efd-4568-b1aa-8dd9183cc64c', type: 'OS::Nova::Server', protect_status: 'available' }],
      auto_expand: false,
      smn_notify: true,
      threshold: 80,
    });
    expect((await emu.admin('GET', '/_emulator/state')).orders[0]).toMatchObject({ status: 'completed', completed_at: expect.any(String) });
  });

  test('the second example (combined order, policy, tags, bind rules) completes with all of it', async () => {
    emu = await TestEmulator.start({ orderDelayMs: 10 });
    const policy = (await emu.call('POST', POLICIES, { body: POLICY })).body.policy;
    const res = await emu.call('POST', ORDER, { body: example2(policy.id) });
    expect(res.status).toBe(200);
    const vault = await waitForVault(res.body.orders[0].resourceId);
    expect(vault).toMatchObject({
      name: '123',
      description: 'description',
      tags: [{ key: 'key', value: 'value' }],
      bind_rules: { tags: [{ key: 'bind_rules_key', value: 'bind_rules_value' }] },
      resources: [{ id: '8ef08ba1-81f7-4e41-ae49-d3e2fb0ba388', name: 'server_name', extra_info: { exclude_volumes: ['1855eb9a-2b5e-4938-a9f0-aea08b6f9243'] } }],
    });
    expect((await emu.call('GET', `${POLICIES}/${policy.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
  });

  test('a pending order holds its resources (6103), and an unnamed vault gets a name', async () => {
    emu = await TestEmulator.start({ orderDelayMs: 60_000 });
    const body = { vault: { ...EXAMPLE_1.vault, name: undefined } };
    const ordered = (await emu.call('POST', ORDER, { body })).body.orders[0];
    const again = await emu.call('POST', VAULTS, {
      body: { vault: { name: 'x', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 10 }, resources: EXAMPLE_1.vault.resources } },
    });
    expectError(again, 400, 'BackupService.6103',
      `The resource has been associated with a vault. vault.resources[0].id "23a320a5-3efd-4568-b1aa-8dd9183cc64c" is in vault ${ordered.resourceId}, which order ${ordered.orderId} is creating.`);
    // Completed at once through the admin API.
    const orders = await emu.admin('POST', '/_emulator/orders/complete');
    expect(orders[0].status).toBe('completed');
    expect((await emu.call('GET', `${VAULTS}/${ordered.resourceId}`)).body.vault.name).toBe(`vault-${ordered.resourceId.slice(0, 8)}`);
  });

  test('fails on bad orders with the documented codes', async () => {
    emu = await TestEmulator.start();
    const billing = EXAMPLE_1.vault.billing;
    const order = (vault: Record<string, unknown>, b: Record<string, unknown> = {}) =>
      ({ vault: { ...EXAMPLE_1.vault, ...vault, billing: { ...billing, ...b } } });
    const cases: Array<[unknown, number, string, string]> = [
      [order({}, { charging_mode: 'post_paid' }), 400, 'BackupService.9900',
        `${P9900} vault.billing.charging_mode must be pre_paid: this API creates yearly/monthly vaults (use POST /v3/{project_id}/vaults for pay-per-use); got "post_paid".`],
      [order({}, { charging_mode: undefined }), 400, 'BackupService.9900',
        `${P9900} vault.billing.charging_mode must be pre_paid: this API creates yearly/monthly vaults (use POST /v3/{project_id}/vaults for pay-per-use); got null.`],
      [order({}, { period_type: undefined }), 400, 'BackupService.9900', `${P9900} vault.billing.period_type is mandatory when charging_mode is pre_paid.`],
      [order({}, { period_type: 'week' }), 400, 'BackupService.9900', `${P9900} vault.billing.period_type must be one of "year", "month"; got "week".`],
      [order({}, { size: 5 }), 400, 'BackupService.6101', 'Invalid vault capacity. vault.billing.size must be from 10 to 10485760, got 5.'],
      [order({ auto_expand: true }), 400, 'BackupService.9900', `${P9900} vault.auto_expand can be true only for a pay-per-use (post_paid) vault.`],
      [order({ description: 'd'.repeat(256) }), 400, 'BackupService.9900', `${P9900} vault.description must be from 0 to 255 characters long, got 256.`],
      [order({ demand_billing: true }), 400, 'BackupService.9900', `${P9900} vault.demand_billing is not a parameter of this API.`],
      [order({ bind_rules: [{ tags: [] }] }), 400, 'BackupService.9900', `${P9900} vault.bind_rules must be an object, got an array.`],
      [order({ parameters: { combined_order: { combined_order_ecs_num: 1001 } } }), 400, 'BackupService.9900',
        `${P9900} vault.parameters.combined_order.combined_order_ecs_num must be from 1 to 1000, got 1001.`],
      [order({ resources: undefined }), 400, 'BackupService.9900', `${P9900} vault.resources is mandatory.`],
      [order({ resources: [{ id: 'd', type: 'OS::Cinder::Volume' }] }), 400, 'BackupService.6102',
        'The vault does not support this resource type. vault.resources[0].type "OS::Cinder::Volume" cannot be held by a vault of object_type "server".'],
      [order({ tags: [] }), 400, 'BackupService.9900', `${P9900} vault.tags must contain from 1 to 10 items, got 0.`],
      [order({ backup_policy_id: 'nope' }), 404, 'BackupService.6000', 'The policy does not exist. vault.backup_policy_id "nope" names no policy.'],
    ];
    for (const [body, status, code, msg] of cases) expectError(await emu.call('POST', ORDER, { body }), status, code, msg);
    expect((await emu.admin('GET', '/_emulator/state')).orders).toEqual([]);
  });

  test('a pending order survives a restart and completes afterwards', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-order-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      emu = await TestEmulator.start({ stateFile, orderDelayMs: 60_000 });
      const { resourceId } = (await emu.call('POST', ORDER, { body: EXAMPLE_1 })).body.orders[0];
      await emu.close();
      emu = await TestEmulator.start({ stateFile, orderDelayMs: 10 });
      expect((await waitForVault(resourceId)).id).toBe(resourceId);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an order whose resource vanished meanwhile fails, and no vault appears', async () => {
    emu = await TestEmulator.start({ orderDelayMs: 60_000, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server', name: 'web' }] });
    const body = { vault: { ...EXAMPLE_1.vault, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] } };
    const { resourceId } = (await emu.call('POST', ORDER, { body })).body.orders[0];
    await emu.adminCall('POST', '/_emulator/resources', [{ id: 'ecs-1', type: 'OS::Nova::Server', name: 'web', status: 'deleted' }]);
    const [order] = await emu.admin('POST', '/_emulator/orders/complete');
    expect(order).toMatchObject({ status: 'failed', failure: 'The resource does not exist. vault.resources[0].id "ecs-1" names no existing (it was deleted) resource.' });
    expect((await emu.call('GET', `${VAULTS}/${resourceId}`)).status).toBe(404);
  });

  test('DELETE deletes a yearly/monthly vault like any other (204, a vault_delete task); its order notes when', async () => {
    emu = await TestEmulator.start({ orderDelayMs: 10 });
    const { resourceId, orderId } = (await emu.call('POST', ORDER, { body: EXAMPLE_1 })).body.orders[0];
    await waitForVault(resourceId);
    const res = await emu.call('DELETE', `${VAULTS}/${resourceId}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await emu.call('GET', `${VAULTS}/${resourceId}`)).status).toBe(404);
    const state = await emu.admin('GET', '/_emulator/state');
    expect(state.orders).toEqual([expect.objectContaining({ order_id: orderId, status: 'completed', vault_deleted_at: expect.any(String) })]);
    expect(state.operation_logs).toEqual([expect.objectContaining({ operation_type: 'vault_delete', vault_id: resourceId })]);
    // The same for one made by 4.5.1 with charging_mode pre_paid.
    const direct = (await emu.call('POST', VAULTS, { body: { vault: { ...EXAMPLE_1.vault, resources: [] } } })).body.vault;
    expect((await emu.call('DELETE', `${VAULTS}/${direct.id}`)).status).toBe(204);
  });
});
