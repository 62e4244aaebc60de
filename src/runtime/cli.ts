import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { detectDrift, driftExitCode, formatJson, formatMarkdown, formatText, synthesizedStacks, terraformAppliedSpecs } from './drift';
import { hookClients, withListings } from './hook';
import { closeSharedAgent } from './http';
import { analysePlan, formatPlanJson, formatPlanMarkdown, formatPlanText, planExitCode, PlanReport } from './plan';
import { Env, readSettings, Settings } from './settings';
import { terraformPlanJson, terraformShowJson } from './terraform-show';

const USAGE = `usage: cdktf-cbr drift [--app-dir DIR] [--stack NAME] [--format text|json|markdown]
       cdktf-cbr plan (--plan PLANFILE | --plan-json FILE | --app-dir DIR) [--stack NAME] [--format text|json|markdown]

drift: compares what the synthesized stacks declare (cdktf.out) with the live cloud. Values that
come from Terraform expressions are read from each stack's state (terraform show -json, TERRAFORM_BIN).
Exit codes: 0 in sync, 2 drift, 1 error. Credentials come from the environment (HW_*, ALIBABA_CLOUD_*).

plan: says what the hooks will do for a saved plan (terraform plan -out PLANFILE, read with
terraform show -json in the plan's folder; or that JSON itself), calling no API. The stack name
defaults to the plan's folder name. With --app-dir, runs terraform plan itself in the folder of
every synthesized stack (or the one --stack names; terraform init must have run there). Exit codes: 0 nothing deletes backups, 2 something deletes
backups (a vault deleted, a resource dissociated), 3 something will fail at apply, 1 error.`;

const FORMATS = { text: formatText, json: formatJson, markdown: formatMarkdown } as const;

export interface CliIo {
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
  /** @default process.env */
  readonly env?: Env;
}

/** The `cdktf-cbr` command; returns the exit code. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  if (argv[0] !== 'plan' && argv[0] !== 'drift') {
    err(`${USAGE}\n`);
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 1;
  }
  // The one read of the environment; `env` itself only goes on to the terraform processes.
  const env = io.env ?? process.env;
  let settings: Settings;
  try {
    settings = readSettings(env);
  } catch (e) {
    err(`cdktf-cbr ${argv[0]}: ${(e as Error).message}\n`);
    return 1;
  }
  if (argv[0] === 'plan') return plan(argv.slice(1), out, err, settings, env);
  const values = options(argv.slice(1), ['app-dir', 'stack', 'format'], err);
  if (!values) return 1;
  const format = values.format ?? 'text';
  let calls = 0;
  const onRequest = () => { calls += 1; };
  try {
    const report = await detectDrift({
      appDir: values['app-dir'] ?? '.',
      stack: values.stack,
      // One listing per region and project the stacks declare.
      clients: withListings(hookClients(settings, { onRequest })),
      calls: () => calls,
      applied: terraformAppliedSpecs(settings.terraformBin, env),
    });
    out(`${FORMATS[format as keyof typeof FORMATS](report)}\n`);
    return driftExitCode(report);
  } catch (e) {
    err(`cdktf-cbr drift: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await closeSharedAgent();
  }
}

const PLAN_FORMATS = { text: formatPlanText, json: formatPlanJson, markdown: formatPlanMarkdown } as const;

/** A subcommand's string options, or undefined after saying what is wrong (the formats are the same for every command). */
function options(args: string[], names: string[], err: (s: string) => void): Record<string, string | undefined> | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) }));
  } catch (e) {
    err(`cdktf-cbr: ${(e as Error).message}\n${USAGE}\n`);
    return undefined;
  }
  const format = values.format ?? 'text';
  if (!(typeof format === 'string' && format in FORMATS)) {
    err(`cdktf-cbr: --format "${format}" is not one of text, json, markdown\n`);
    return undefined;
  }
  return values as Record<string, string | undefined>;
}

function plan(args: string[], out: (s: string) => void, err: (s: string) => void, settings: Settings, env: Env): number {
  const values = options(args, ['plan', 'plan-json', 'app-dir', 'stack', 'format'], err);
  if (!values) return 1;
  const format = values.format ?? 'text';
  const sources = ['plan', 'plan-json', 'app-dir'].filter((o) => values[o] !== undefined);
  if (sources.length !== 1) {
    err(`cdktf-cbr plan: give one of --plan PLANFILE, --plan-json FILE or --app-dir DIR\n${USAGE}\n`);
    return 1;
  }
  const terraform = settings.terraformBin;
  try {
    let reports: PlanReport[];
    if (values['app-dir'] !== undefined) {
      // Every stack (or the one named) planned by Terraform itself, in its folder.
      reports = synthesizedStacks(values['app-dir'], values.stack)
        .map(({ name, configFile }) => analysePlan(terraformPlanJson(terraform, env, path.dirname(configFile)), name));
    } else {
      const file = (values.plan ?? values['plan-json'])!;
      const dir = path.dirname(path.resolve(file));
      const planJson = values.plan ? terraformShowJson(terraform, env, dir, path.basename(file)) : JSON.parse(fs.readFileSync(file, 'utf8'));
      reports = [analysePlan(planJson, values.stack ?? path.basename(dir))];
    }
    const render = PLAN_FORMATS[format as keyof typeof PLAN_FORMATS];
    // One JSON document per run: an object for a plan file, a list for the stacks of an app.
    out(format === 'json' && values['app-dir'] !== undefined
      ? `[${reports.map(render).join(',\n')}]\n`
      : `${reports.map(render).join('\n\n')}\n`);
    // 3 (will fail) > 2 (deletes backups) > 0: the most severe stack decides.
    return Math.max(0, ...reports.map(planExitCode));
  } catch (e) {
    err(`cdktf-cbr plan: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
