import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export interface SynthOptions {
  /** Where cdktf writes cdktf.out. */
  readonly outdir: string;
  /** The stack name. */
  readonly stackName: string;
  /** An absolute state file path, so the state survives re-synthesis into a fresh directory. */
  readonly stateFile: string;
}

/** Synthesizes one stack built by `build` and returns the directory to run Terraform in. */
export function synthStack(opts: SynthOptions, build: (stack: Construct) => void): string {
  const app = new App({ outdir: opts.outdir, skipValidation: true });
  const stack = new TerraformStack(app, opts.stackName);
  new LocalBackend(stack, { path: path.resolve(opts.stateFile) });
  build(stack);
  app.synth();
  return path.join(opts.outdir, 'stacks', opts.stackName);
}
