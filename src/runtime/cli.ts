import { parseArgs } from 'node:util';
import { SnapshotCbrClient } from './cbr/snapshot';
import { detectDrift, driftExitCode, formatJson, formatMarkdown, formatText, terraformAppliedSpecs } from './drift';
import { HbrClient } from './hbr/client';
import { closeSharedAgent } from './http';

const USAGE = `usage: cdktf-cbr drift [--app-dir DIR] [--stack NAME] [--format text|json|markdown]

Compares what the synthesized stacks declare (cdktf.out) with the live cloud. Values that come
from Terraform expressions are read from each stack's state (terraform show -json, TERRAFORM_BIN).
Exit codes: 0 in sync, 2 drift, 1 error. Credentials come from the environment (HW_*, ALIBABA_CLOUD_*).`;

const FORMATS = { text: formatText, json: formatJson, markdown: formatMarkdown } as const;

export interface CliIo {
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
  readonly env?: Record<string, string | undefined>;
}

/** The `cdktf-cbr` command; returns the exit code. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const env = io.env ?? process.env;
  if (argv[0] !== 'drift') {
    err(`${USAGE}\n`);
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 1;
  }
  let values: { 'app-dir'?: string; 'stack'?: string; 'format'?: string };
  try {
    ({ values } = parseArgs({ args: argv.slice(1), options: { 'app-dir': { type: 'string' }, 'stack': { type: 'string' }, 'format': { type: 'string' } } }));
  } catch (e) {
    err(`cdktf-cbr: ${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const format = values.format ?? 'text';
  if (!(format in FORMATS)) {
    err(`cdktf-cbr: --format "${format}" is not one of text, json, markdown\n`);
    return 1;
  }
  let calls = 0;
  const onRequest = () => { calls += 1; };
  let cbr: SnapshotCbrClient | undefined;
  let hbr: HbrClient | undefined;
  try {
    const report = await detectDrift({
      appDir: values['app-dir'] ?? '.',
      stack: values.stack,
      clients: {
        cbr: () => (cbr ??= SnapshotCbrClient.fromEnv(env, { onRequest })),
        hbr: () => (hbr ??= HbrClient.fromEnv(env)),
      },
      calls: () => calls,
      applied: terraformAppliedSpecs(env.TERRAFORM_BIN ?? 'terraform', env),
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

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
