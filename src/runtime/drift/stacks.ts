import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasExpression } from '../handlers/declared';
import { declaredSpecs, HookKind } from '../specs';
import { terraformShowJson } from '../terraform-show';

/** One hook-table entry of a synthesized stack: what a construct declared. */
export interface DeclaredObject {
  readonly stack: string;
  readonly kind: HookKind;
  readonly key: string;
  readonly spec: any;
  /** Why the spec cannot be compared (its values come from expressions the state does not hold). */
  readonly unresolved?: string;
}

/**
 * The specs as applied, from the Terraform state of the stack folder `stackDir`, keyed
 * `cbr_<kind>` then entry key; throws when the state cannot be read.
 */
export type AppliedSpecs = (stackDir: string) => Record<string, Record<string, unknown>>;

/**
 * Reads the hook tables of the synthesized stacks in `appDir` (a cdktf.out folder, or a project
 * folder containing one). Only the synthesized JSON is read: no app code runs.
 */
export function loadDeclared(appDir: string, stackName: string | undefined, kinds: readonly HookKind[], applied?: AppliedSpecs): DeclaredObject[] {
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
    const configFile = path.join(outDir, manifest.stacks[name].synthesizedStackPath);
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    const state = lazyApplied(path.dirname(configFile), applied);
    for (const kind of kinds) {
      for (const [key, spec] of Object.entries<any>(declaredSpecs(config, kind) ?? {})) {
        // A value Terraform computes (a variable, another resource's id) is in the state, as applied.
        declared.push({ stack: name, kind, key, ...(hasExpression(spec) ? state(kind, key) : { spec }) });
      }
    }
  }
  return declared;
}

/** Looks entries up in the stack's state, read once and only when an entry needs it. */
function lazyApplied(stackDir: string, applied: AppliedSpecs | undefined): (kind: HookKind, key: string) => { spec: unknown; unresolved?: string } {
  let tables: Record<string, Record<string, unknown>> | undefined;
  let failure: string | undefined;
  return (kind, key) => {
    if (!applied) return { spec: undefined, unresolved: 'its values come from Terraform expressions, and no Terraform state was read' };
    if (!tables && failure === undefined) {
      try {
        tables = applied(stackDir);
      } catch (err) {
        failure = (err as Error).message;
      }
    }
    if (failure !== undefined) {
      return { spec: undefined, unresolved: `its values come from Terraform expressions, and the state of ${stackDir} cannot be read (${failure}); run "terraform init" there` };
    }
    const spec = tables![`cbr_${kind}`]?.[key];
    return spec === undefined ? { spec, unresolved: 'its values come from Terraform expressions, and it is not applied yet' } : { spec };
  };
}

/** The applied specs from `terraform show -json` run in the stack folder. */
export function terraformAppliedSpecs(terraform: string, env: Record<string, string | undefined>): AppliedSpecs {
  return (stackDir) => {
    const out: Record<string, Record<string, unknown>> = {};
    const resources: any[] = terraformShowJson(terraform, env, stackDir).values?.root_module?.resources ?? [];
    for (const r of resources) {
      if (r.type !== 'terraform_data' || !/^cbr_/.test(r.name) || typeof r.index !== 'string') continue;
      (out[r.name] ??= {})[r.index] = r.values?.triggers_replace;
    }
    return out;
  };
}
