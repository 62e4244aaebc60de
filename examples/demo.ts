/* eslint-disable no-console */
// The demo: the example stack applied with real Terraform against the embedded emulator.
// `npm run demo` (add `-- --keep` to keep the working directory). It cleans up after itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend } from 'cdktf';
import { BackupStack, BackupStackProps } from './backup-stack';
import { startEmulator } from '../src/emulator';
import { DEFAULT_HBR_CREDENTIALS } from '../src/emulator/hbr';
import { emulatorHookEnv } from '../src/harness/env';
import { hookLines, terraformOk } from '../src/harness/terraform';
import { CbrClient } from '../src/runtime/cbr/client';
import { main as cdktfCbr } from '../src/runtime/cli';
import { readSettings } from '../src/runtime/settings';

const keep = process.argv.includes('--keep');
const HBR_VAULT = 'v-demo0000000001';
const INSTANCES = ['i-demo00000000001', 'i-demo00000000002'];

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-demo-'));
  const emulator = await startEmulator({ port: 0, stateFile: path.join(work, 'emulator-state.json') });
  console.log(`Embedded CBR/HBR emulator on ${emulator.url}; working directory ${work}`);
  const env: Record<string, string> = {
    ...emulatorHookEnv(emulator.url),
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
    HBR_ENDPOINT: emulator.url,
    HBR_TASK_POLL_MS: '100',
  };
  const admin = (p: string, body: unknown) => fetch(`${emulator.url}${p}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  // The simulated Alibaba side: an HBR vault and two running ECS instances with Cloud Assistant.
  await admin('/_emulator/hbr/vaults', { vaultIds: [HBR_VAULT] });
  await admin('/_emulator/hbr/instances', INSTANCES.map((instanceId) => ({ instanceId, status: 'Running', cloudAssistant: true })));

  const outdir = path.join(work, 'cdktf.out');
  const synth = async (props: BackupStackProps): Promise<string> => {
    const app = new App({ outdir, skipValidation: true });
    const stack = new BackupStack(app, 'backup', { hbrVaultId: HBR_VAULT, hbrInstanceIds: INSTANCES, ...props });
    new LocalBackend(stack, { path: path.join(work, 'terraform.tfstate') });
    app.synth();
    const dir = path.join(outdir, 'stacks', 'backup');
    await terraformOk(['init', '-input=false', '-no-color'], { dir });
    return dir;
  };
  const run = async (title: string, dir: string, args: string[]) => {
    console.log(`\n== ${title}\n   $ terraform ${args.join(' ')}`);
    const result = await terraformOk([...args, '-input=false', '-no-color'], { dir, env });
    const hooks = hookLines(result.stdout);
    for (const line of hooks.length ? hooks : ['(no hook ran: nothing changed)']) console.log(`   ${line}`);
    return result;
  };
  const drift = async (format: string) => {
    let out = '';
    // The command runs terraform show for the state: it needs PATH besides the hooks' variables.
    const code = await cdktfCbr(['drift', '--app-dir', outdir, '--format', format], { out: (s) => { out += s; }, env: { PATH: process.env.PATH, ...env } });
    console.log(`   $ cdktf-cbr drift --format ${format}   (exit ${code})`);
    console.log(out.trimEnd().split('\n').map((l) => `   ${l}`).join('\n'));
  };

  try {
    let dir = await synth({});
    await run('1. Create: 2 vaults, 2 policies, attachments, 3 protected resources, 2 tags, HBR clients on 2 instances', dir, ['apply', '-auto-approve']);
    await run('2. Apply again: nothing changed, no hook runs, no API call', dir, ['apply', '-auto-approve']);

    console.log('\n== 3. Drift check against the live cloud');
    await drift('text');

    console.log('\n== 4. An operator grows prod-servers to 150 GB and raises its threshold in the console');
    const operator = CbrClient.fromSettings(readSettings(env));
    const prod = (await operator.listAllVaults({ name: 'prod-servers' })).find((v) => v.name === 'prod-servers')!;
    await operator.updateVault(prod.id, { vault: { threshold: 95, billing: { size: 150 } } });
    await drift('markdown');

    await run('5. Heal: run the stack\'s hook entry again', dir, ['apply', '-auto-approve', '-replace=terraform_data.cbr_hooks']);
    await drift('text');

    dir = await synth({ prodSize: 200 });
    const plan = await terraformOk(['plan', '-input=false', '-no-color', '-out=review.tfplan'], { dir, env });
    console.log('\n== 6. A pull request grows prod-servers to 200 GB: what the reviewer sees in terraform plan');
    console.log(planExcerpt(plan.stdout));
    console.log('   ... and in cdktf-cbr plan (no API call; exit 0: nothing deletes backups):');
    const indent = (t: string) => process.stdout.write(t.replace(/^(?=.)/gm, '   '));
    const code = await cdktfCbr(['plan', '--plan', path.join(dir, 'review.tfplan')], { out: indent, env: { ...process.env, ...env } });
    if (code !== 0) throw new Error(`cdktf-cbr plan exited ${code}`);
    await run('7. Merge and apply: updated in place, same vault id, nothing deleted', dir, ['apply', '-auto-approve']);

    await run('8. Destroy: prod-servers (RETAIN) keeps its backups, resources and tags; everything else goes', dir, ['destroy', '-auto-approve']);
    const left = await (await fetch(`${emulator.url}/_emulator/state`)).json() as { vaults: any[]; policies: any[] };
    console.log(`   left in the cloud: ${left.vaults.map((v) => `vault ${v.name} (${v.billing.size} GB, ${v.resources.length} resources)`).join(', ') || 'nothing'}; ` +
      `${left.policies.length} policies`);
    console.log(`\nDone.${keep ? ` Kept ${work}: cdktf.out/, terraform.tfstate, emulator-state.json.` : ' Run with -- --keep to inspect the synthesized stack, the state and the emulator state.'}`);
  } finally {
    await emulator.close();
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The changed lines of a plan, as a reviewer reads them in a pull request. */
function planExcerpt(plan: string): string {
  const lines = plan.split('\n');
  const start = lines.findIndex((l) => /# terraform_data\./.test(l));
  const end = lines.findIndex((l) => /^Plan: /.test(l));
  return lines.slice(start, end + 1).filter((l) => l.trim() !== '').map((l) => `   ${l}`).join('\n');
}

main().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
