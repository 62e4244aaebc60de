import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { EmulatorProcess } from '../../src/harness/emulator-process';
import { emulatorHookEnv } from '../../src/harness/env';
import { synthStack } from '../../src/harness/synth';
import { hookLines, RunResult, terraform, terraformOk } from '../../src/harness/terraform';

/**
 * One end-to-end workspace: an emulator process with a persisted state file, and a stack that is
 * re-synthesized for every step into a fresh directory while its Terraform state stays in one file.
 */
export interface WorkspaceOptions {
  /** Share this emulator instead of starting one (it is then not stopped by dispose()). */
  readonly emulator?: EmulatorProcess;
  /** Extra emulator flags. */
  readonly emulatorArgs?: string[];
  /** Credentials the hooks use. @default the emulator's DEFAULT_CREDENTIALS */
  readonly credentials?: { accessKey: string; secretKey: string; projectId: string };
  /** A folder whose terraform.tfstate.json and emulator-state.json the workspace starts from (a fixture). */
  readonly seed?: string;
  /** The hooks' whole environment, instead of the CBR one built from `credentials`. */
  readonly hookEnv?: (emulatorUrl: string) => Record<string, string>;
}

export class E2eWorkspace {
  public static async create(name: string, opts: WorkspaceOptions = {}): Promise<E2eWorkspace> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-cbr-${name}-`));
    if (opts.seed) {
      // The fixture's state is terraform.tfstate.json: *.tfstate files are ignored by git.
      fs.copyFileSync(path.join(opts.seed, 'terraform.tfstate.json'), path.join(dir, 'terraform.tfstate'));
      fs.copyFileSync(path.join(opts.seed, 'emulator-state.json'), path.join(dir, 'emulator-state.json'));
    }
    const emulator = opts.emulator ?? await EmulatorProcess.start({ stateFile: path.join(dir, 'emulator-state.json'), args: opts.emulatorArgs });
    return new E2eWorkspace(dir, emulator, name, opts.credentials ?? DEFAULT_CREDENTIALS, !opts.emulator, opts.hookEnv);
  }

  private step = 0;
  private stackDirPath?: string;

  private constructor(
    public readonly dir: string,
    public readonly emulator: EmulatorProcess,
    private readonly stackName: string,
    private readonly credentials: { accessKey: string; secretKey: string; projectId: string },
    private readonly ownsEmulator: boolean,
    private readonly customEnv?: (emulatorUrl: string) => Record<string, string>,
  ) {}

  /** The current stack directory (cdktf.out/stacks/NAME). */
  public get stackDir(): string {
    if (!this.stackDirPath) throw new Error('synth() first');
    return this.stackDirPath;
  }

  /** The hooks' environment: the emulator's fake credentials, never real ones. */
  public get hookEnv(): Record<string, string> {
    if (this.customEnv) return this.customEnv(this.emulator.url);
    return {
      ...emulatorHookEnv(this.emulator.url, this.credentials),
      // Fail fast when the emulator is down on purpose; the retry policy has its own tests.
      CBR_HTTP_MAX_ATTEMPTS: '2',
    };
  }

  /** What `cdktf-cbr drift` and `plan` run with: the hooks' environment, and PATH to find terraform. */
  public get cliEnv(): Record<string, string> {
    return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...(process.env.TERRAFORM_BIN ? { TERRAFORM_BIN: process.env.TERRAFORM_BIN } : {}), ...this.hookEnv };
  }

  /** Synthesizes the next version of the stack and runs `terraform init`. */
  public async synth(build: (stack: Construct) => void): Promise<string> {
    this.step += 1;
    this.stackDirPath = synthStack({
      outdir: path.join(this.dir, `out-${this.step}`),
      stackName: this.stackName,
      stateFile: path.join(this.dir, 'terraform.tfstate'),
    }, build);
    await terraformOk(['init', '-input=false', '-no-color'], { dir: this.stackDirPath });
    return this.stackDirPath;
  }

  public async apply(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<RunResult & { hooks: string[] }> {
    const opts = this.runOpts();
    const result = await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color', ...extraArgs], { ...opts, env: { ...opts.env, ...env } });
    return { ...result, hooks: hookLines(result.stdout) };
  }

  /** Runs apply without throwing, for steps that are meant to fail. */
  public async tryApply(extraArgs: string[] = []): Promise<RunResult> {
    return terraform(['apply', '-auto-approve', '-input=false', '-no-color', ...extraArgs], this.runOpts());
  }

  /** Runs `terraform <command>` and kills it with SIGKILL after `ms` milliseconds (if still running). */
  public async killedAfter(command: 'apply' | 'destroy', ms: number, extraArgs: string[] = []): Promise<RunResult> {
    return terraform([command, '-auto-approve', '-input=false', '-no-color', ...extraArgs], { ...this.runOpts(), killAfterMs: ms });
  }

  /** Runs destroy with some hook variables overridden, without throwing. */
  public async destroyWithEnv(env: Record<string, string>): Promise<RunResult> {
    return terraform(['destroy', '-auto-approve', '-input=false', '-no-color'], { dir: this.stackDir, env: { ...this.hookEnv, ...env } });
  }

  /** Runs apply with some hook variables overridden, without throwing. */
  public async tryApplyWithEnv(env: Record<string, string>): Promise<RunResult> {
    return terraform(['apply', '-auto-approve', '-input=false', '-no-color'], { dir: this.stackDir, env: { ...this.hookEnv, ...env } });
  }

  public async destroy(): Promise<RunResult & { hooks: string[] }> {
    const result = await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color'], this.runOpts());
    return { ...result, hooks: hookLines(result.stdout) };
  }

  public async plan(): Promise<RunResult> {
    return terraformOk(['plan', '-input=false', '-no-color'], this.runOpts());
  }

  private runOpts() {
    if (!this.stackDirPath) throw new Error('synth() first');
    return { dir: this.stackDirPath, env: this.hookEnv };
  }

  public async dispose(): Promise<void> {
    if (this.ownsEmulator) await this.emulator.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A workspace whose hooks reach both services of the emulator (CBR and HBR), with these ECS
 * instances known to HBR: for stacks that hold every kind.
 */
export async function cbrAndHbrWorkspace(name: string, instances: readonly string[]): Promise<E2eWorkspace> {
  const ws = await E2eWorkspace.create(name, {
    hookEnv: (url) => ({
      ...emulatorHookEnv(url, DEFAULT_CREDENTIALS),
      CBR_HTTP_MAX_ATTEMPTS: '2',
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      HBR_ENDPOINT: url,
      HBR_TASK_POLL_MS: '100',
    }),
  });
  const res = await fetch(`${ws.emulator.url}/_emulator/hbr/instances`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(instances.map((instanceId) => ({ instanceId }))),
  });
  if (!res.ok) throw new Error(`the emulator refused the instances: ${res.status} ${await res.text()}`);
  return ws;
}
