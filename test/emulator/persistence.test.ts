// The default import is the fs module object itself, so spies on it reach the emulator's calls.
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMPTY_STATE, PROJECT, TestEmulator } from './helpers';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../src/emulator';
import { ProtectableRecord, Store } from '../../src/emulator/store';

const VAULTS = `/v3/${PROJECT}/vaults`;
const POLICIES = `/v3/${PROJECT}/policies`;

const VAULT = {
  vault: {
    name: 'kept',
    billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 60 },
    resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }],
    tags: [{ key: 'owner', value: 'team-a' }],
  },
};
const POLICY = {
  policy: {
    name: 'kept-policy',
    operation_type: 'backup',
    operation_definition: { max_backups: 7 },
    trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=3;BYMINUTE=15'] } },
  },
};

const server = (id: string): ProtectableRecord => ({ id, type: 'OS::Nova::Server', name: id, size: 10, status: 'active', volumes: [], detail: {} });

describe('persistence', () => {
  let dir: string;
  let stateFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-state-'));
    stateFile = path.join(dir, 'state.json');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a restart with the same state file serves the same vaults, policies and tokens', async () => {
    const first = await TestEmulator.start({ stateFile });
    const policy = (await first.call('POST', POLICIES, { body: POLICY })).body.policy;
    const vault = (await first.call('POST', VAULTS, { body: { vault: { ...VAULT.vault, backup_policy_id: policy.id } } })).body.vault;
    const tokenRes = await fetch(`${first.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: DEFAULT_CREDENTIALS.userName, password: DEFAULT_CREDENTIALS.password, domain: { name: DEFAULT_CREDENTIALS.domainName } },
            },
          },
          scope: { project: { id: PROJECT } },
        },
      }),
    });
    const token = tokenRes.headers.get('x-subject-token')!;
    const before = await first.admin('GET', '/_emulator/state');
    await first.close();

    const second = await TestEmulator.start({ stateFile });
    try {
      expect(await second.admin('GET', '/_emulator/state')).toEqual(before);
      const shown = await second.call('GET', `${VAULTS}/${vault.id}`, { token });
      expect(shown.status).toBe(200);
      expect(shown.body.vault.created_at).toBe(vault.created_at);
      expect((await second.call('GET', `${POLICIES}/${policy.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
    } finally {
      await second.close();
    }
  });

  test('the state file is replaced by renaming a complete temporary file from the same directory', async () => {
    const renames: Array<[string, string]> = [];
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      // At the moment of the swap the new file is already complete.
      expect(() => JSON.parse(fs.readFileSync(from, 'utf8'))).not.toThrow();
      renames.push([String(from), String(to)]);
      realRename(from, to);
    });
    const emu = await TestEmulator.start({ stateFile });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await emu.call('POST', VAULTS, { body: { vault: { ...VAULT.vault, name: `v${i}`, resources: [] } } });
        expect(res.status).toBe(200);
        const onDisk = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
        expect(onDisk.vaults).toHaveLength(i + 1);
      }
      expect(renames).toHaveLength(5);
      for (const [from, to] of renames) {
        expect(path.dirname(from)).toBe(dir);
        expect(to).toBe(stateFile);
      }
      expect(fs.readdirSync(dir)).toEqual(['state.json']);
    } finally {
      await emu.close();
    }
  });

  test('a failed write leaves the previous state file whole and the change undone', async () => {
    const emu = await TestEmulator.start({ stateFile });
    try {
      expect((await emu.call('POST', VAULTS, { body: VAULT })).status).toBe(200);
      const good = fs.readFileSync(stateFile, 'utf8');
      const realWrite = fs.writeFileSync;
      jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
        // A crash in the middle of writing: half the bytes, then failure.
        realWrite(file, String(data).slice(0, String(data).length / 2), options);
        throw new Error('ENOSPC: no space left on device');
      });
      const res = await emu.call('POST', VAULTS, { body: { vault: { ...VAULT.vault, name: 'lost', resources: [] } } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error_code: 'BackupService.9910',
        error_msg: 'Unknown error. The emulator could not save its state: ENOSPC: no space left on device',
      });
      jest.restoreAllMocks();
      expect(fs.readFileSync(stateFile, 'utf8')).toBe(good);
      expect(fs.readdirSync(dir)).toEqual(['state.json']);
      const names = (await emu.call('GET', VAULTS)).body.vaults.map((v: any) => v.name);
      expect(names).toEqual(['kept']);
    } finally {
      await emu.close();
    }
  });

  test('changes of one turn of the event loop are saved by one write, which every one of them waits for', async () => {
    const store = new Store(stateFile);
    const renames = jest.spyOn(fs, 'renameSync');
    const saved = ['a', 'b', 'c'].map((id) => {
      store.data.protectables.push(server(id));
      return store.persistSoon();
    });
    // Nothing is written before the turn ends: the three share one write.
    expect(renames).not.toHaveBeenCalled();
    await Promise.all(saved);
    expect(renames).toHaveBeenCalledTimes(1);
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).protectables.map((p: any) => p.id)).toEqual(['a', 'b', 'c']);
    // A later change gets a write of its own.
    store.data.protectables.pop();
    await store.persistSoon();
    expect(renames).toHaveBeenCalledTimes(2);
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).protectables.map((p: any) => p.id)).toEqual(['a', 'b']);
  });

  test('a failed group write fails every change of the group and undoes them all', async () => {
    const store = new Store(stateFile);
    store.data.protectables.push(server('kept'));
    store.persist();
    jest.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
      throw new Error('EIO: i/o error, write');
    });
    const saved = ['x', 'y'].map((id) => {
      store.data.protectables.push(server(id));
      return store.persistSoon();
    });
    const results = await Promise.allSettled(saved);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('EIO: i/o error, write');
    expect(store.data.protectables.map((p) => p.id)).toEqual(['kept']);
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).protectables.map((p: any) => p.id)).toEqual(['kept']);
    // The next change is saved as usual.
    store.data.protectables.push(server('z'));
    await store.persistSoon();
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).protectables.map((p: any) => p.id)).toEqual(['kept', 'z']);
  });

  test('a state file written before resources, tasks and orders existed still loads', async () => {
    fs.writeFileSync(stateFile, JSON.stringify({ version: 1, vaults: [], policies: [], associations: [], tokens: [] }));
    const emu = await TestEmulator.start({ stateFile });
    try {
      expect(await emu.admin('GET', '/_emulator/state')).toMatchObject({ resources: [], orders: [], operation_logs: [] });
      expect((await emu.call('POST', VAULTS, { body: VAULT })).status).toBe(200);
      const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      expect(saved).toMatchObject({ version: 1, protectables: [], orders: [], operation_logs: [] });
    } finally {
      await emu.close();
    }
  });

  test('resources, tags, policy links and tasks survive a restart', async () => {
    const first = await TestEmulator.start({ stateFile, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server', name: 'web', size: 30 }] });
    const policy = (await first.call('POST', POLICIES, { body: POLICY })).body.policy;
    const vault = (await first.call('POST', VAULTS, { body: VAULT })).body.vault;
    await first.call('POST', `${VAULTS}/${vault.id}/associatepolicy`, { body: { policy_id: policy.id } });
    await first.call('POST', `/v3/${PROJECT}/vault/${vault.id}/tags`, { body: { tag: { key: 'env', value: 'prod' } } });
    await first.call('POST', `${VAULTS}/${vault.id}/removeresources`, { body: { resource_ids: ['ecs-1'] } });
    await first.close();
    // Without --resources-file, the inventory of the state file stays.
    const second = await TestEmulator.start({ stateFile });
    try {
      const shown = (await second.call('GET', `${VAULTS}/${vault.id}`)).body.vault;
      expect(shown.tags).toEqual([{ key: 'owner', value: 'team-a' }, { key: 'env', value: 'prod' }]);
      expect(shown.resources).toEqual([]);
      expect((await second.call('GET', VAULTS, { query: { policy_id: policy.id } })).body.count).toBe(1);
      expect((await second.call('GET', `/v3/${PROJECT}/operation-logs`)).body.count).toBe(1);
      expect((await second.admin('GET', '/_emulator/resources')).map((r: any) => r.id)).toEqual(['ecs-1']);
    } finally {
      await second.close();
    }
  });

  test('reset empties the state and the file', async () => {
    const emu = await TestEmulator.start({ stateFile });
    try {
      await emu.call('POST', VAULTS, { body: VAULT });
      const res = await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' });
      expect(res.status).toBe(204);
      expect(await emu.admin('GET', '/_emulator/state')).toEqual(EMPTY_STATE);
      expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).vaults).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  test('fails to start on a state file that is not JSON rather than start empty', async () => {
    fs.writeFileSync(stateFile, '{"version": 1, "vaults": [');
    await expect(startEmulator({ port: 0, stateFile })).rejects.toThrow(/is not valid JSON/);
  });

  test('without a state file nothing is written', async () => {
    const spy = jest.spyOn(fs, 'renameSync');
    const emu = await TestEmulator.start();
    try {
      expect((await emu.call('POST', VAULTS, { body: VAULT })).status).toBe(200);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      await emu.close();
    }
  });
});
