import * as path from 'node:path';
import { Construct } from 'constructs';
import { Policy, Retention, Schedule, Vault, VaultObjectType, VaultResource } from '../../src';
import { CbrClient } from '../../src/runtime/cbr/client';
import { main } from '../../src/runtime/cli';
import { readSettings } from '../../src/runtime/settings';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(240_000);

function stack(scope: Construct) {
  const prod = new Vault(scope, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'platform' } });
  new Vault(scope, 'Disks', { vaultName: 'disks', objectType: VaultObjectType.DISK, size: 40 });
  const nightly = new Policy(scope, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']), retention: Retention.days(7) });
  prod.attachPolicy(nightly);
  prod.addResources('Web', [VaultResource.server('srv-1')]);
}

async function drift(ws: E2eWorkspace, format: string) {
  let out = '';
  let err = '';
  const code = await main(['drift', '--app-dir', path.dirname(path.dirname(ws.stackDir)), '--format', format],
    { out: (s) => { out += s; }, err: (s) => { err += s; }, env: ws.cliEnv });
  return { code, out, err };
}

describe('cdktf-cbr drift', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('drift'); });
  afterAll(async () => { await ws?.dispose(); });

  test('reports in sync, then an operator change field by field, then in sync again after healing', async () => {
    await ws.synth(stack);
    await ws.apply();

    await ws.emulator.clearRequests();
    const clean = await drift(ws, 'text');
    expect(clean.err).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('6 declared: 6 in sync, 0 drifted, 0 missing; 0 undeclared');
    // One vault listing and one policy listing, whatever the number of objects.
    expect((await ws.emulator.requests()).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v3/f841e01fd2b14e7fa41b6ae7aa6b0594/policies',
      'GET /v3/f841e01fd2b14e7fa41b6ae7aa6b0594/vaults',
    ]);

    // An operator changes the vault in the console (here: through the API).
    const operator = CbrClient.fromSettings(readSettings(ws.hookEnv));
    const prod = (await ws.emulator.state()).vaults.find((v) => v.name === 'prod')!;
    await operator.updateVault(prod.id, { vault: { threshold: 95, billing: { size: 150 } } });

    const drifted = await drift(ws, 'markdown');
    expect(drifted.code).toBe(2);
    expect(drifted.out).toContain('| `vault drift/Prod` | drifted | size | `100` | `150` |');
    expect(drifted.out).toContain('| `vault drift/Prod` | drifted | threshold | `80` | `95` |');
    // Healing runs the stack's hook entry again, which brings every object back to its declared state; no object's entry is replaced.
    expect(drifted.out).toContain('terraform apply -replace=\'terraform_data.cbr_hooks\'');

    await ws.emulator.clearRequests();
    const heal = await ws.apply(['-replace=terraform_data.cbr_hooks']);
    expect(heal.hooks).toEqual([`vault Prod: updated size 150 -> 100, threshold 95 -> 80 (${prod.id})`]);
    expect((await ws.emulator.requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`))
      .toEqual([`PUT /v3/f841e01fd2b14e7fa41b6ae7aa6b0594/vaults/${prod.id}`]);
    const healed = await drift(ws, 'json');
    expect(healed.code).toBe(0);
    expect(JSON.parse(healed.out).entries.every((e: any) => e.status === 'in_sync')).toBe(true);
  });

  test('the heal command re-adds a drifted association without dissociating it, so its backups stay', async () => {
    await ws.synth(stack);
    await ws.apply();
    const operator = CbrClient.fromSettings(readSettings(ws.hookEnv));
    const prod = (await ws.emulator.state()).vaults.find((v) => v.name === 'prod')!;
    await operator.addResources(prod.id, [{ id: 'srv-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['vol-x'] } }]);

    const drifted = await drift(ws, 'markdown');
    expect(drifted.code).toBe(2);
    expect(drifted.out).toContain('terraform apply -replace=\'terraform_data.cbr_hooks\'');

    await ws.emulator.clearRequests();
    const healed = await ws.apply(['-replace=terraform_data.cbr_hooks']);
    expect(healed.hooks).toEqual([`association Prod/Web/srv-1: updated exclude_volumes of srv-1 in vault prod (${prod.id})`]);
    expect((await ws.emulator.requests()).filter((r) => r.path.endsWith('/removeresources'))).toEqual([]);
    expect((await drift(ws, 'json')).code).toBe(0);

    // Replacing the association's own entry re-runs the hook entry too; its delete hook sees the -replace and keeps the resource.
    // (A new client: the drift command closed the shared connection pool.)
    await CbrClient.fromSettings(readSettings(ws.hookEnv)).addResources(prod.id, [{ id: 'srv-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['vol-y'] } }]);
    await ws.emulator.clearRequests();
    const replaced = await ws.apply(['-replace=terraform_data.cbr_association["Prod/Web/srv-1"]']);
    expect(replaced.hooks).toEqual([
      'association Prod/Web/srv-1: kept srv-1 (replaced on request: the hook entry applies it again; dissociating would delete its backups)',
      `association Prod/Web/srv-1: updated exclude_volumes of srv-1 in vault prod (${prod.id})`,
    ]);
    expect((await ws.emulator.requests()).filter((r) => r.path.endsWith('/removeresources'))).toEqual([]);
  });

  test('fails with exit 1 and a clear message when there is no synthesized app', async () => {
    let err = '';
    const code = await main(['drift', '--app-dir', '/nonexistent'], { out: () => undefined, err: (s) => { err += s; }, env: ws.cliEnv });
    expect(code).toBe(1);
    expect(err).toBe('cdktf-cbr drift: no cdktf manifest at /nonexistent/cdktf.out/manifest.json: run "cdktf synth" first, or point --app-dir at the folder that holds cdktf.out\n');
  });
});
