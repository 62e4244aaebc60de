import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredSpecs, storedSpec } from '../../contract/entries';
import { DEPLOYMENT_ANCHOR, HOOK_KINDS, HookKind, tableName } from '../../contract/specs';
import { hasExpression } from '../handlers/declared';
import { terraformShowJson } from '../terraform-show';

/** One hook-table entry of a synthesized stack: what a construct declared. */
export interface DeclaredObject {
  readonly stack: string;
  readonly kind: HookKind;
  readonly key: string;
  /** The spec as declared, with the deployment of the stack's state (`deployment`, src/contract/schemas.ts). */
  readonly spec: any;
  /** Why the spec cannot be compared (its values come from expressions the state does not hold). */
  readonly unresolved?: string;
  /** The stack's state has no deployment anchor: nothing of it is applied yet. */
  readonly unapplied?: boolean;
}

/** What the Terraform state of one stack holds: its deployment and the applied specs, keyed `cbr_<kind>` then entry key. */
export interface AppliedState {
  /** The id of the stack's deployment anchor; undefined when nothing is applied. */
  readonly deployment?: string;
  readonly tables: Record<string, Record<string, unknown>>;
}

/** Reads the state of the stack folder `stackDir`; throws when it cannot be read. */
export type AppliedSpecs = (stackDir: string) => AppliedState;

/**
 * The synthesized stacks in `appDir` (a cdktf.out folder, or a project folder containing one), or
 * the one named `stackName`, with their cdk.tf.json; throws what to do when there are none.
 */
export function synthesizedStacks(appDir: string, stackName: string | undefined): Array<{ name: string; configFile: string }> {
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
  return (stackName === undefined ? names : [stackName])
    .map((name) => ({ name, configFile: path.join(outDir, manifest.stacks[name].synthesizedStackPath) }));
}

/**
 * Reads the hook tables of the synthesized stacks in `appDir` (a cdktf.out folder, or a project
 * folder containing one). Only the synthesized JSON is read: no app code runs.
 */
export function loadDeclared(appDir: string, stackName: string | undefined, kinds: readonly HookKind[], applied?: AppliedSpecs): DeclaredObject[] {
  const declared: DeclaredObject[] = [];
  for (const { name, configFile } of synthesizedStacks(appDir, stackName)) {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    const state = lazyState(path.dirname(configFile), applied);
    for (const kind of kinds) {
      for (const [key, spec] of Object.entries<any>(declaredSpecs(config, kind) ?? {})) {
        declared.push({ stack: name, kind, key, ...resolve(state(), kind, key, spec) });
      }
    }
  }
  return declared;
}

type StateRead = { state: AppliedState } | { failure: string };

/**
 * An entry as applied: the declared spec with the deployment of the state (which finds its
 * objects), or, when its values come from Terraform expressions (a variable, another resource's
 * id), the spec the state holds.
 */
function resolve(read: StateRead, kind: HookKind, key: string, spec: any): Omit<DeclaredObject, 'stack' | 'kind' | 'key'> {
  if ('failure' in read) return { spec: undefined, unresolved: read.failure };
  const { deployment, tables } = read.state;
  if (deployment === undefined) return { spec, unapplied: true };
  if (!hasExpression(spec)) return { spec: { ...spec, deployment } };
  const applied = tables[tableName(kind)]?.[key];
  return applied === undefined ? { spec: undefined, unresolved: 'its values come from Terraform expressions, and it is not applied yet' } : { spec: applied };
}

/** Reads the stack's state once, when the first entry needs it. */
function lazyState(stackDir: string, applied: AppliedSpecs | undefined): () => StateRead {
  let read: StateRead | undefined;
  return () => {
    if (read) return read;
    if (!applied) return (read = { failure: 'no Terraform state was read' });
    try {
      read = { state: applied(stackDir) };
    } catch (err) {
      read = { failure: `the state of ${stackDir} cannot be read (${(err as Error).message}); run "terraform init" there` };
    }
    return read;
  };
}

/** The applied specs from `terraform show -json` run in the stack folder. */
export function terraformAppliedSpecs(terraform: string, env: Record<string, string | undefined>): AppliedSpecs {
  return (stackDir) => {
    const tables: Record<string, Record<string, unknown>> = {};
    let deployment: string | undefined;
    const resources: any[] = terraformShowJson(terraform, env, stackDir).values?.root_module?.resources ?? [];
    for (const r of resources) {
      if (r.type !== 'terraform_data') continue;
      if (r.name === DEPLOYMENT_ANCHOR && typeof r.values?.id === 'string') deployment = r.values.id;
      const kind = HOOK_KINDS.find((k) => tableName(k) === r.name);
      if (!kind || typeof r.index !== 'string') continue;
      (tables[r.name] ??= {})[r.index] = storedSpec(kind, r.index, r.values);
    }
    return { deployment, tables };
  };
}
