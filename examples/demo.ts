/* eslint-disable no-console */
// The demo: the example stack applied with real Terraform against the embedded CBR emulator.
// Run it with `npm run demo`; it cleans up after itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend } from 'cdktf';
import { BackupStack, BackupStackProps } from './backup-stack';
import { DEFAULT_CREDENTIALS, startEmulator } from '../src/emulator';
import { hookLines, terraformOk } from '../src/harness/terraform';

const keep = process.argv.includes('--keep');

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-demo-'));
  const emulator = await startEmulator({ port: 0, stateFile: path.join(work, 'emulator-state.json') });
  console.log(`CBR emulator listening on ${emulator.url} (state: ${work}/emulator-state.json)`);
  const env = {
    HW_ACCESS_KEY: DEFAULT_CREDENTIALS.accessKey,
    HW_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    HW_PROJECT_ID: DEFAULT_CREDENTIALS.projectId,
    HW_REGION_NAME: 'emulator-region-1',
    HW_CBR_ENDPOINT: emulator.url,
  };
  let step = 0;
  const synth = async (props: BackupStackProps): Promise<string> => {
    step += 1;
    const app = new App({ outdir: path.join(work, `cdktf.out-${step}`), skipValidation: true });
    const stack = new BackupStack(app, 'backup', props);
    new LocalBackend(stack, { path: path.join(work, 'terraform.tfstate') });
    app.synth();
    const dir = path.join(work, `cdktf.out-${step}`, 'stacks', 'backup');
    await terraformOk(['init', '-input=false', '-no-color'], { dir });
    return dir;
  };
  const run = async (title: string, dir: string, args: string[]) => {
    console.log(`\n== ${title}: terraform ${args[0]}`);
    const result = await terraformOk([...args, '-input=false', '-no-color'], { dir, env });
    const hooks = hookLines(result.stdout);
    for (const line of hooks.length ? hooks : ['(no hook ran: nothing changed)']) console.log(`   ${line}`);
    return result;
  };
  const showCloud = async () => {
    const state = await (await fetch(`${emulator.url}/_emulator/state`)).json() as { vaults: any[]; policies: any[] };
    console.log('   cloud now holds:');
    for (const v of state.vaults) console.log(`     vault  ${v.name.padEnd(14)} ${String(v.billing.size).padStart(4)} GB  ${v.id}`);
    for (const p of state.policies) console.log(`     policy ${p.name.padEnd(14)} ${p.trigger.properties.pattern.join(' | ')}`);
  };

  try {
    let dir = await synth({});
    await run('1. create two vaults and two policies', dir, ['apply', '-auto-approve']);
    await showCloud();
    await run('2. nothing changed', dir, ['apply', '-auto-approve']);

    dir = await synth({ prodSize: 200 });
    const plan = await terraformOk(['plan', '-input=false', '-no-color'], { dir, env });
    console.log('\n== 3. grow prod-servers to 200 GB: what the pull request shows (terraform plan, excerpt)');
    console.log(planExcerpt(plan.stdout));
    await run('3. apply the change (updated in place, same vault id)', dir, ['apply', '-auto-approve']);
    await showCloud();

    await run('4. destroy the stack (prod-servers is retained by its removal policy)', dir, ['destroy', '-auto-approve']);
    await showCloud();
    console.log(`\nDone. ${keep ? `Kept ${work} for inspection.` : `Run with --keep to inspect ${work}.`}`);
  } finally {
    await emulator.close();
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The changed attribute lines of the plan, as a reviewer sees them. */
function planExcerpt(plan: string): string {
  const lines = plan.split('\n');
  const start = lines.findIndex((l) => /must be replaced|will be updated/.test(l));
  const end = lines.findIndex((l) => /^Plan: /.test(l));
  const picked = lines.slice(Math.max(start - 1, 0), end + 1).filter((l) => /[~+-] |# |Plan:/.test(l));
  return picked.map((l) => `   ${l}`).join('\n');
}

main().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
