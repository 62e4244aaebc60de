import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredSpecs, HookKind } from '../specs';

/** One hook-table entry of a synthesized stack: what a construct declared. */
export interface DeclaredObject {
  readonly stack: string;
  readonly kind: HookKind;
  readonly key: string;
  readonly spec: any;
}

/**
 * Reads the hook tables of the synthesized stacks in `appDir` (a cdktf.out folder, or a project
 * folder containing one). Only the synthesized JSON is read: no app code runs.
 */
export function loadDeclared(appDir: string, stackName: string | undefined, kinds: readonly HookKind[]): DeclaredObject[] {
  const outDir = fs.existsSync(path.join(appDir, 'manifest.json')) ? appDir : path.join(appDir, 'cdktf.out');
  const manifestFile = path.join(outDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`no cdktf manifest at ${manifestFile}: run "cdktf synth" first, or point --app-dir at the folder that holds cdktf.out`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const names = Object.keys(manifest.stacks);
  if (stackName !== undefined && !names.includes(stackName)) {
    throw new Error(`stack "${stackName}" is not in ${manifestFile}; the stacks are: ${names.join(', ') || '(none)'}`);
  }
  const declared: DeclaredObject[] = [];
  for (const name of stackName === undefined ? names : [stackName]) {
    const config = JSON.parse(fs.readFileSync(path.join(outDir, manifest.stacks[name].synthesizedStackPath), 'utf8'));
    for (const kind of kinds) {
      for (const [key, spec] of Object.entries<any>(declaredSpecs(config, kind) ?? {})) declared.push({ stack: name, kind, key, spec });
    }
  }
  return declared;
}
