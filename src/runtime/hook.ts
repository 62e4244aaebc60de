import * as fs from 'node:fs';
import { CbrClient } from './cbr/client';
import { HookContext, HookError } from './handlers/context';
import { canonicalJson, describeChanges, FieldChange } from './handlers/diff';
import { applyAssociation, deleteAssociation, diffAssociation, readAssociation } from './handlers/association';
import { applyAttachment, deleteAttachment, diffAttachment, readAttachment } from './handlers/attachment';
import { applyPolicy, deletePolicy, diffPolicy, findPolicy } from './handlers/policy';
import { applyTag, deleteTag, diffTag, readTag } from './handlers/tag';
import { applyVault, deleteVault, diffVault, readVault } from './handlers/vault';
import { AssociationSpec, AttachmentSpec, HookAction, HookKind, PolicySpec, TagSpec, VaultSpec } from './specs';

/** One kind's lifecycle operations; `read` returns the live object, or undefined when missing. */
interface KindHandler<S> {
  apply(client: CbrClient, spec: S, ctx: HookContext): Promise<void>;
  delete(client: CbrClient, spec: S, ctx: HookContext): Promise<void>;
  read(client: CbrClient, spec: S): Promise<unknown>;
  diff(spec: S, live: never): FieldChange[];
}

const HANDLERS: Record<HookKind, KindHandler<any>> = {
  vault: { apply: applyVault, delete: deleteVault, read: readVault, diff: diffVault } as KindHandler<VaultSpec>,
  policy: { apply: applyPolicy, delete: deletePolicy, read: findPolicy, diff: diffPolicy } as KindHandler<PolicySpec>,
  attachment: { apply: applyAttachment, delete: deleteAttachment, read: readAttachment, diff: diffAttachment } as KindHandler<AttachmentSpec>,
  association: { apply: applyAssociation, delete: deleteAssociation, read: readAssociation, diff: diffAssociation } as KindHandler<AssociationSpec>,
  tag: { apply: applyTag, delete: deleteTag, read: readTag, diff: diffTag } as KindHandler<TagSpec>,
};

export const HOOK_ACTIONS: readonly HookAction[] = ['apply', 'delete', 'read', 'diff'];

export interface HookInvocation {
  readonly action: HookAction;
  readonly kind: HookKind;
  readonly key: string;
  readonly spec: unknown;
  /** The synthesized configuration Terraform is applying (cdk.tf.json), when known. */
  readonly configFile?: string;
}

/**
 * Whether the entry `key` of the `kind` table is still in the configuration. A delete hook runs for
 * a key that is still declared only when the stack itself is destroyed (a removed construct's key
 * is gone from the for_each map). Without a readable configuration the answer errs on "declared",
 * which keeps rather than deletes.
 */
export function isStillDeclared(configFile: string | undefined, kind: HookKind, key: string): boolean {
  if (!configFile) return true;
  try {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    const table = config?.resource?.terraform_data?.[`cbr_${kind}`];
    return Boolean(table?.for_each && Object.prototype.hasOwnProperty.call(table.for_each, key));
  } catch {
    return true;
  }
}

/** Exit codes: 0 done (diff: in sync), 1 failed, 2 diff found drift or a missing object. */
export async function runHook(inv: HookInvocation, client: CbrClient, out: (line: string) => void): Promise<number> {
  const handler = HANDLERS[inv.kind];
  const ctx: HookContext = { key: inv.key, report: out, stillDeclared: () => isStillDeclared(inv.configFile, inv.kind, inv.key) };
  switch (inv.action) {
    case 'apply':
      await handler.apply(client, inv.spec, ctx);
      return 0;
    case 'delete':
      await handler.delete(client, inv.spec, ctx);
      return 0;
    case 'read': {
      const live = await handler.read(client, inv.spec);
      out(canonicalJson(live ?? null));
      return 0;
    }
    case 'diff': {
      const live = await handler.read(client, inv.spec);
      if (!live) {
        out(`${inv.kind} ${inv.key}: missing`);
        return 2;
      }
      const changes = handler.diff(inv.spec, live as never);
      out(changes.length === 0 ? `${inv.kind} ${inv.key}: in sync` : `${inv.kind} ${inv.key}: drifted ${describeChanges(changes)}`);
      return changes.length === 0 ? 0 : 2;
    }
  }
}

/** Parses `<action> <kind> <key>` plus the spec the provisioner puts in the environment (CBR_SPEC). */
export function parseInvocation(argv: readonly string[], env: NodeJS.ProcessEnv): HookInvocation {
  const [action, kind, key] = argv;
  if (!HOOK_ACTIONS.includes(action as HookAction)) {
    throw new HookError(`unknown action "${action ?? ''}": expected one of ${HOOK_ACTIONS.join(', ')}`);
  }
  if (!(kind in HANDLERS)) {
    throw new HookError(`unknown kind "${kind ?? ''}": expected one of ${Object.keys(HANDLERS).join(', ')}`);
  }
  const raw = env.CBR_SPEC;
  if (!raw) throw new HookError('CBR_SPEC is not set: the provisioner passes the spec as jsonencode(self.triggers_replace)');
  let spec: unknown;
  try {
    spec = JSON.parse(raw);
  } catch (err) {
    throw new HookError(`CBR_SPEC is not valid JSON (${(err as Error).message})`);
  }
  return { action: action as HookAction, kind: kind as HookKind, key: key ?? env.CBR_KEY ?? '(unknown construct)', spec, configFile: env.CBR_CONFIG_FILE };
}
