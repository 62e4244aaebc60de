import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataResource } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { main } from '../../src/runtime/cli';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

interface Shape {
  readonly size?: number;
  readonly description?: string;
  readonly hour?: number;
  readonly old?: boolean;
  readonly scratch?: boolean;
  readonly web?: string[];
  readonly app?: string[];
  readonly team?: string;
  /** A server resource of the stack, replaced when this changes (its id is then known only at apply), protected by Prod. */
  readonly server?: string;
}

function build(s: Shape) {
  return (scope: Construct) => {
    const prod = new Vault(scope, 'Prod', {
      vaultName: 'plan-prod', objectType: VaultObjectType.SERVER, size: s.size ?? 100, description: s.description, tags: { team: s.team ?? 'platform' },
    });
    if (s.old ?? true) new Vault(scope, 'Old', { vaultName: 'plan-old', objectType: VaultObjectType.SERVER, size: 50 });
    if (s.scratch ?? true) {
      const scratch = new Vault(scope, 'Scratch', { vaultName: 'plan-scratch', objectType: VaultObjectType.SERVER, size: 40, removalPolicy: RemovalPolicy.DESTROY });
      scratch.addResources('Db', [VaultResource.server('srv-3')]);
      new VaultTag(scope, 'Owner', { vault: scratch, key: 'owner', value: 'ops' });
    }
    prod.attachPolicy(new Policy(scope, 'Nightly', {
      policyName: 'plan-nightly', schedule: Schedule.fromPatterns([`FREQ=DAILY;INTERVAL=1;BYHOUR=${s.hour ?? 2};BYMINUTE=0`]), retention: Retention.count(7),
    }));
    prod.addResources('Web', (s.web ?? ['srv-1', 'srv-2']).map((id) => VaultResource.server(id)));
    if (s.app) prod.addResources('App', s.app.map((id) => VaultResource.server(id)));
    if (s.server) {
      const server = new DataResource(scope, 'Server', { triggersReplace: [s.server] });
      const label = new DataResource(scope, 'Label');
      label.addOverride('input', s.server);
      prod.addResources('Srv', [VaultResource.server(server.id)]);
      new VaultTag(scope, 'Generation', { vault: prod, key: 'generation', value: label.getStringAttribute('output') });
    }
  };
}

describe('cdktf-cbr plan', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('backup');
    await ws.synth(build({}));
    await ws.apply();
  });
  afterAll(async () => { await ws?.dispose(); });

  /** Saves a plan of `shape` and runs `cdktf-cbr plan` on it; the API must not be called. */
  async function planOf(shape: Shape, format = 'text') {
    await ws.synth(build(shape));
    await terraformOk(['plan', '-input=false', '-no-color', '-out=review.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
    await ws.emulator.clearRequests();
    let out = '';
    let err = '';
    const code = await main(['plan', '--plan', path.join(ws.stackDir, 'review.tfplan'), '--format', format],
      { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { ...process.env, ...ws.hookEnv } });
    expect(await ws.emulator.requests()).toEqual([]);
    return { code, out, err };
  }

  test('says what the hooks will do, in the apply output\'s words, and exits 2 when backups would be deleted', async () => {
    const result = await planOf({ size: 200, hour: 3, old: false, scratch: false, web: ['srv-2', 'srv-4'], app: ['srv-1'], team: 'security' });
    expect(result.err).toBe('');
    expect(result.out.trim().split('\n')).toEqual([
      'policy backup/Nightly: update in place: schedule daily at 02:00 UTC -> daily at 03:00 UTC',
      'vault backup/Old: keep (removalPolicy RETAIN: the vault and its backups stay)',
      'vault backup/Prod: update in place: size 100 -> 200',
      'vault backup/Scratch: delete (removalPolicy DESTROY, its backups are deleted)',
      'association backup/Prod/Web/srv-1: move to Prod/App/srv-1 with its backups',
      'association backup/Prod/Web/srv-4: add "srv-4"',
      'association backup/Scratch/Db/srv-3: remove srv-3 (dissociating deletes its backups)',
      'tag backup/Owner: remove owner',
      'tag backup/Prod/Tag-team: change team "platform" -> "security"',
      '3 updates in place, 1 addition, 1 move, 2 deletions of data',
    ]);
    // srv-1 moves to Prod/App: its new key adds nothing.
    expect(JSON.parse((await planOf({ size: 200, hour: 3, old: false, scratch: false, web: ['srv-2', 'srv-4'], app: ['srv-1'], team: 'security' }, 'json')).out).changes)
      .toContainEqual({ kind: 'association', key: 'Prod/App/srv-1', action: 'unchanged', text: 'moved here from Prod/Web/srv-1 (the same cloud object)', deletesData: false });
    expect(result.code).toBe(2);

    const md = await planOf({ size: 200, hour: 3, old: false, scratch: false, web: ['srv-2', 'srv-4'], app: ['srv-1'], team: 'security' }, 'markdown');
    expect(md.out).toMatch(/^\*\*cdktf-cbr plan for `backup`\*\*: 3 updates in place, 1 addition, 1 move, 2 deletions of data\n/);
    expect(md.out).toContain('| ⚠️ vault | `backup/Scratch` | delete (removalPolicy DESTROY, its backups are deleted) |');
    const json = JSON.parse((await planOf({ size: 200 }, 'json')).out);
    expect(json).toMatchObject({ stack: 'backup', exitCode: 0, summary: '1 update in place, 0 additions, 0 moves, 0 deletions of data' });
    expect(json.changes).toContainEqual({ kind: 'vault', key: 'Prod', action: 'update', text: 'update in place: size 100 -> 200', deletesData: false });
  });

  test('exits 3 and names the fix when a change cannot be made in place', async () => {
    const result = await planOf({ description: 'now with a description' });
    expect(result.out).toContain('vault backup/Prod: will fail at apply: description cannot change in place (API 4.5.4). ' +
      'Revert it, or give the construct a new id and vaultName to create a new vault');
    expect(result.code).toBe(3);
  });

  test('exits 0 and says so when nothing changes', async () => {
    const result = await planOf({});
    expect(result.out.trim()).toBe('0 updates in place, 0 additions, 0 moves, 0 deletions of data');
    expect(result.code).toBe(0);
  });

  test('with --app-dir runs terraform plan itself, for every stack, and says the same', async () => {
    const saved = await planOf({ size: 250, team: 'security' });
    const appDir = path.dirname(path.dirname(ws.stackDir));
    let out = '';
    let err = '';
    await ws.emulator.clearRequests();
    const code = await main(['plan', '--app-dir', appDir], { out: (t) => { out += t; }, err: (t) => { err += t; }, env: ws.cliEnv });
    expect(err).toBe('');
    expect(out).toBe(saved.out);
    expect(code).toBe(saved.code);
    let json = '';
    expect(await main(['plan', '--app-dir', appDir, '--stack', 'backup', '--format', 'json'], { out: (t) => { json += t; }, env: ws.cliEnv })).toBe(0);
    expect(JSON.parse(json)).toMatchObject([{ stack: 'backup', summary: '2 updates in place, 0 additions, 0 moves, 0 deletions of data' }]);
    expect(await ws.emulator.requests()).toEqual([]);
    // It leaves no plan file behind.
    expect(fs.readdirSync(ws.stackDir).filter((f) => f.startsWith('.cdktf-cbr-'))).toEqual([]);
  });

  test('reads the JSON of terraform show too', async () => {
    await planOf({ size: 300 });
    const { stdout } = await terraformOk(['show', '-json', 'review.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
    const file = path.join(ws.stackDir, 'review.json');
    fs.writeFileSync(file, stdout);
    let out = '';
    expect(await main(['plan', '--plan-json', file, '--stack', 'backup'], { out: (t) => { out += t; }, env: process.env })).toBe(0);
    expect(out).toContain('vault backup/Prod: update in place: size 100 -> 300');
    // What it calls an update in place is one in Terraform's plan too.
    expect(JSON.parse(stdout).resource_changes.find((rc: any) => rc.address === 'terraform_data.cbr_vault["Prod"]').change.actions).toEqual(['update']);
  });

  test('values known only at apply read as (known after apply): a replaced server\'s new id replaces its association, exit 2', async () => {
    const servers = async (): Promise<string[]> => (await ws.emulator.state()).vaults.find((v) => v.name === 'plan-prod')!.resources
      .map((r: any) => r.id).filter((id: string) => !id.startsWith('srv-'));
    await ws.synth(build({ server: 'gen-1' }));
    await ws.apply();
    const [server] = await servers();
    const result = await planOf({ server: 'gen-2' });
    expect(result.out.trim().split('\n')).toEqual([
      `association backup/Prod/Srv/terraform_data.Server.id: protect (known after apply) instead of ${server} (the old one is dissociated once the new one is in: its backups are deleted)`,
      'tag backup/Generation: change generation "gen-1" -> (known after apply)',
      '2 updates in place, 0 additions, 0 moves, 1 deletion of data',
    ]);
    expect(result.code).toBe(2);
    // And so the apply does: the new id in, the old one out.
    await ws.apply();
    expect(await servers()).toEqual([expect.not.stringMatching(server)]);
    await ws.synth(build({}));
    await ws.apply();
  });
});
