import { PROJECT, TestEmulator } from './helpers';

/** 4.7 Tags: batch action, add, delete, list, project tags, query vaults by tags. */

const VAULTS = `/v3/${PROJECT}/vaults`;
const P9900 = 'Parameter verification failed.';
const UNKNOWN_VAULT = '00000000-0000-4000-8000-000000000000';

function vaultBody(name: string, tags?: Array<{ key: string; value: string }>, billing: Record<string, unknown> = {}) {
  return {
    vault: {
      name,
      billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100, ...billing },
      resources: [],
      ...(tags ? { tags } : {}),
    },
  };
}

type Res = { status: number; body: unknown };
const expectError = (res: Res, status: number, code: string, msg: string) =>
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error_code: code, error_msg: msg } });
const tags = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

describe('vault tags', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start();
  });
  afterEach(() => emu.close());

  async function vault(name: string, t?: Array<{ key: string; value: string }>, billing: Record<string, unknown> = {}): Promise<any> {
    const res = await emu.call('POST', VAULTS, { body: vaultBody(name, t, billing) });
    expect(res.status).toBe(200);
    return res.body.vault;
  }
  const batch = (id: string, body: unknown) => emu.call('POST', `/v3/${PROJECT}/vault/${id}/tags/action`, { body });
  const addOne = (id: string, body: unknown) => emu.call('POST', `/v3/${PROJECT}/vault/${id}/tags`, { body });
  const deleteOne = (id: string, key: string) => emu.call('DELETE', `/v3/${PROJECT}/vault/${id}/tags/${encodeURIComponent(key)}`);
  const list = async (id: string) => (await emu.call('GET', `/v3/${PROJECT}/vault/${id}/tags`)).body;

  test('4.7.2 example adds tags: 204, no body; the vault shows them', async () => {
    const v = await vault('v');
    const res = await batch(v.id, { tags: [{ key: 'string', value: 'string' }, { key: 'string1', value: 'string2' }], action: 'create' });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await emu.call('GET', `${VAULTS}/${v.id}`)).body.vault.tags).toEqual([{ key: 'string', value: 'string' }, { key: 'string1', value: 'string2' }]);
  });

  test('4.7.2 is idempotent, overwrites equal keys, skips absent tags on delete and accepts duplicates there', async () => {
    const v = await vault('v', [{ key: 'env', value: 'dev' }]);
    const body = { tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'a' }], action: 'create' };
    expect((await batch(v.id, body)).status).toBe(204);
    expect((await batch(v.id, body)).status).toBe(204);
    expect(await list(v.id)).toEqual({ tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'a' }] });
    // A value that does not match keeps the tag; a key alone deletes it; absent and repeated keys are fine.
    expect((await batch(v.id, { tags: [{ key: 'env', value: 'dev' }, { key: 'team' }, { key: 'team' }, { key: 'nope' }], action: 'delete' })).status).toBe(204);
    expect(await list(v.id)).toEqual({ tags: [{ key: 'env', value: 'prod' }] });
  });

  test('4.7.2 checks lengths (127/255) but not the character set', async () => {
    const v = await vault('v');
    expect((await batch(v.id, { tags: [{ key: ' a/b=c* ', value: 'x<y>' }, { key: 'k'.repeat(127), value: 'v'.repeat(255) }], action: 'create' })).status).toBe(204);
    expect((await list(v.id)).tags[0]).toEqual({ key: 'a/b=c*', value: 'x<y>' });
    expectError(await batch(v.id, { tags: [{ key: 'k'.repeat(128), value: '' }], action: 'create' }), 400, 'BackupService.9900',
      `${P9900} tags[0].key can contain a maximum of 127 characters; got "${'k'.repeat(128)}".`);
    expectError(await batch(v.id, { tags: [{ key: 'k', value: 'v'.repeat(256) }], action: 'create' }), 400, 'BackupService.9900',
      `${P9900} tags[0].value can contain a maximum of 255 characters; got "${'v'.repeat(256)}".`);
    // The deletion by the odd key works too (4.7.4 "Even invalid tags at the bottom layer can be deleted").
    expect((await deleteOne(v.id, 'a/b=c*')).status).toBe(204);
  });

  test('4.7.2 fails on bad bodies with the documented codes', async () => {
    const v = await vault('v', tags(8));
    const cases: Array<[unknown, number, string, string]> = [
      [{ tags: [{ key: 'a', value: 'b' }] }, 400, 'BackupService.9900', `${P9900} action is mandatory.`],
      [{ tags: [{ key: 'a', value: 'b' }], action: 'update' }, 400, 'BackupService.9900', `${P9900} action must be one of "create", "delete"; got "update".`],
      [{ action: 'delete' }, 400, 'BackupService.9900', `${P9900} tags is mandatory for action delete.`],
      [{ tags: [], action: 'create' }, 400, 'BackupService.9900', `${P9900} tags must contain from 1 to 10 items, got 0.`],
      [{ tags: tags(11), action: 'create' }, 400, 'BackupService.6600', 'The maximum number of tags has been reached for the resource. tags must contain from 1 to 10 items, got 11.'],
      [{ tags: tags(11), action: 'delete' }, 400, 'BackupService.9900', `${P9900} tags must contain from 1 to 10 items, got 11.`],
      [{ tags: [{ key: 'a', value: '1' }, { key: ' a ', value: '2' }], action: 'create' }, 400, 'BackupService.9900', `${P9900} tags[1].key "a" is given more than once.`],
      [{ tags: [{ key: 'a' }], action: 'create' }, 400, 'BackupService.9900', `${P9900} tags[0].value is mandatory.`],
      [{ tags: [{ key: '  ', value: 'x' }], action: 'delete' }, 400, 'BackupService.9900', `${P9900} tags[0].key cannot be left blank or be an empty string; got "  ".`],
      [{ tags: [{ key: 'a', value: 'b' }], sys_tags: [{ key: '_sys_enterprise_project_id', value: '0' }], action: 'create' }, 400, 'BackupService.9900',
        `${P9900} sys_tags is available only to the op_service permission, which this account does not have.`],
      [{ tags: tags(3, 'new'), action: 'create' }, 400, 'BackupService.6600',
        `The maximum number of tags has been reached for the resource. tags: vault ${v.id} has 8 tags; adding 3 more would exceed 10.`],
    ];
    for (const [body, status, code, msg] of cases) expectError(await batch(v.id, body), status, code, msg);
    expect((await list(v.id)).tags).toEqual(tags(8));
    // Overwriting existing keys does not add to the count.
    expect((await batch(v.id, { tags: [...tags(8), ...tags(2, 'new')], action: 'create' })).status).toBe(204);
    expect((await list(v.id)).tags).toHaveLength(10);
  });

  test('4.7.3 example adds one tag and overwrites an existing key', async () => {
    const v = await vault('v');
    const res = await addOne(v.id, { tag: { key: 'key1', value: 'key2' } });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await addOne(v.id, { tag: { key: ' key1 ', value: ' value3 ' } })).status).toBe(204);
    expect(await list(v.id)).toEqual({ tags: [{ key: 'key1', value: 'value3' }] });
  });

  test('4.7.3 applies the Tag table rules and the 10-tag limit', async () => {
    const v = await vault('v', tags(10));
    const cases: Array<[unknown, number, string, string]> = [
      [{}, 400, 'BackupService.9900', `${P9900} tag is mandatory.`],
      [{ tag: { key: 'a/b', value: 'x' } }, 400, 'BackupService.9900', `${P9900} tag.key can contain only letters, digits, hyphens (-), and underscores (_); got "a/b".`],
      [{ tag: { key: 'k'.repeat(37), value: 'x' } }, 400, 'BackupService.9900', `${P9900} tag.key can contain a maximum of 36 characters; got "${'k'.repeat(37)}".`],
      [{ tag: { key: 'a', value: 'v'.repeat(44) } }, 400, 'BackupService.9900', `${P9900} tag.value can contain a maximum of 43 characters; got "${'v'.repeat(44)}".`],
      [{ tag: { key: 'a' } }, 400, 'BackupService.9900', `${P9900} tag.value is mandatory.`],
      [{ tag: { key: 'eleventh', value: 'x' } }, 400, 'BackupService.6600',
        `The maximum number of tags has been reached for the resource. tag: vault ${v.id} has 10 tags; adding 1 more would exceed 10.`],
    ];
    for (const [body, status, code, msg] of cases) expectError(await addOne(v.id, body), status, code, msg);
    expect((await addOne(v.id, { tag: { key: 'k0', value: 'changed' } })).status).toBe(204);
  });

  test('4.7.4 deletes one tag, 404 BackupService.6601 when the key is absent', async () => {
    const v = await vault('v', [{ key: 'env', value: 'prod' }, { key: '项目', value: 'x' }]);
    const res = await deleteOne(v.id, ' env ');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expectError(await deleteOne(v.id, 'env'), 404, 'BackupService.6601', `The key does not exist. Vault ${v.id} has no tag "env".`);
    expectError(await deleteOne(v.id, ' '), 400, 'BackupService.9900', `${P9900} The key cannot be left blank or be an empty string.`);
    expect((await deleteOne(v.id, '项目')).status).toBe(204);
    expect(await list(v.id)).toEqual({ tags: [] });
  });

  test('4.7.5 lists a vault\'s tags as the example shows; an unknown vault answers the example\'s 400', async () => {
    const v = await vault('v', [{ key: 'string', value: '' }]);
    const res = await emu.call('GET', `/v3/${PROJECT}/vault/${v.id}/tags`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tags: [{ key: 'string', value: '' }] });
    const msg = `Invalid vault_id provided. No vault has the id "${UNKNOWN_VAULT}".`;
    expectError(await emu.call('GET', `/v3/${PROJECT}/vault/${UNKNOWN_VAULT}/tags`), 400, 'BackupService.9900', msg);
    expectError(await addOne(UNKNOWN_VAULT, { tag: { key: 'a', value: 'b' } }), 400, 'BackupService.9900', msg);
    expectError(await batch(UNKNOWN_VAULT, { tags: [{ key: 'a', value: 'b' }], action: 'create' }), 400, 'BackupService.9900', msg);
    expectError(await deleteOne(UNKNOWN_VAULT, 'a'), 400, 'BackupService.9900', msg);
  });

  test('4.7.6 lists the project\'s tag keys with their values', async () => {
    await vault('a', [{ key: 'a', value: 'b' }, { key: 'string', value: '' }]);
    await vault('b', [{ key: 'string', value: 'string' }, { key: 'a', value: 'b' }]);
    const res = await emu.call('GET', `/v3/${PROJECT}/vault/tags`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tags: [{ key: 'a', values: ['b'] }, { key: 'string', values: ['', 'string'] }] });
  });

  describe('4.7.1 querying vaults by tags', () => {
    const action = (body: unknown) => emu.call('POST', `/v3/${PROJECT}/vault/resource_instances/action`, { body });
    const names = async (body: Record<string, unknown>) => {
      const res = await action({ action: 'filter', ...body });
      expect(res.status).toBe(200);
      return res.body.resources.map((r: any) => r.resource_name);
    };
    beforeEach(async () => {
      await vault('prod-web', [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }]);
      await vault('prod-db', [{ key: 'env', value: 'production' }, { key: 'team', value: 'db' }]);
      await vault('dev-web', [{ key: 'env', value: 'dev' }, { key: 'team', value: 'web' }]);
      await vault('untagged');
      await vault('disks', [{ key: 'env', value: 'prod' }], { object_type: 'disk' });
    });

    test('the example filter answers TagResource objects with the vault as detail', async () => {
      const res = await action({ tags: [{ key: 'team', values: ['web'] }], action: 'filter' });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['resources', 'total_count']);
      expect(res.body.total_count).toBe(2);
      const [first] = res.body.resources;
      expect(Object.keys(first).sort()).toEqual(['resource_detail', 'resource_id', 'resource_name', 'tags']);
      expect(first.resource_detail.vault.id).toBe(first.resource_id);
      expect(first.resource_detail.vault.name).toBe('prod-web');
      expect(first.tags).toEqual([{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }]);
    });

    test('tags (AND of keys, OR of values, * for fuzzy), tags_any, not_tags, not_tags_any, without_any_tag', async () => {
      expect(await names({ tags: [{ key: 'env', values: ['prod'] }, { key: 'team', values: ['web'] }] })).toEqual(['prod-web']);
      expect(await names({ tags: [{ key: 'env', values: ['prod', 'dev'] }] })).toEqual(['prod-web', 'dev-web', 'disks']);
      expect(await names({ tags: [{ key: 'env', values: ['*prod'] }] })).toEqual(['prod-web', 'prod-db', 'disks']);
      expect(await names({ tags: [{ key: 'team', values: [] }] })).toEqual(['prod-web', 'prod-db', 'dev-web']);
      expect(await names({ tags_any: [{ key: 'env', values: ['dev'] }, { key: 'team', values: ['db'] }] })).toEqual(['prod-db', 'dev-web']);
      expect(await names({ not_tags: [{ key: 'env', values: ['prod'] }, { key: 'team', values: ['web'] }] })).toEqual(['prod-db', 'dev-web', 'untagged', 'disks']);
      expect(await names({ not_tags_any: [{ key: 'env', values: ['prod'] }, { key: 'team', values: ['web'] }] })).toEqual(['prod-db', 'untagged']);
      expect(await names({ without_any_tag: true, tags: [{ key: 'env', values: [] }] })).toEqual(['untagged']);
      expect(await names({})).toHaveLength(5);
    });

    test('matches, object_type, limit and offset, and count', async () => {
      expect(await names({ matches: [{ key: 'resource_name', value: 'web' }] })).toEqual(['prod-web', 'dev-web']);
      expect(await names({ matches: [{ key: 'resource_name', value: '' }] })).toEqual([]);
      expect(await names({ object_type: 'disk' })).toEqual(['disks']);
      expect(await names({ limit: '2', offset: '1' })).toEqual(['prod-db', 'dev-web']);
      const count = await action({ action: 'count', tags: [{ key: 'env', values: ['*prod'] }], limit: '1' });
      expect(count.body).toEqual({ total_count: 3 });
    });

    test('fails on bad filters with 9900', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, `${P9900} action is mandatory.`],
        [{ action: 'list' }, `${P9900} action must be one of "filter", "count"; got "list".`],
        [{ action: 'filter', tags: [] }, `${P9900} tags must contain from 1 to 10 items, got 0.`],
        [{ action: 'filter', tags: [{ key: 'a', values: [] }, { key: 'a', values: ['x'] }] }, `${P9900} tags[1].key "a" is given more than once.`],
        [{ action: 'filter', tags_any: [{ key: 'a', values: ['x', 'x'] }] }, `${P9900} tags_any[0].values[1] "x" is given more than once.`],
        [{ action: 'filter', tags: [{ key: 'a', values: ['**'] }] }, `${P9900} tags[0].values[0] cannot contain only asterisks; got "**".`],
        [{ action: 'filter', tags: [{ key: 'a' }] }, `${P9900} tags[0].values is mandatory.`],
        [{ action: 'filter', limit: 10 }, `${P9900} limit must be a string, got 10.`],
        [{ action: 'filter', limit: '0' }, `${P9900} limit must be a whole number from 1 to 1000; got "0".`],
        [{ action: 'filter', matches: [{ key: 'name', value: 'x' }] }, `${P9900} matches[0].key must be one of "resource_name"; got "name".`],
        [{ action: 'filter', object_type: 'turbo' }, `${P9900} object_type must be one of "server", "disk"; got "turbo".`],
        [{ action: 'filter', sys_tags: [{ key: '_sys_enterprise_project_id', values: ['0'] }] },
          `${P9900} sys_tags is available only to the op_service permission, which this account does not have.`],
      ];
      for (const [body, msg] of cases) expectError(await action(body), 400, 'BackupService.9900', msg);
    });
  });
});
