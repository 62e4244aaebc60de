import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HookContext } from './context';
import { decodeSpec, SpecOf } from '../../contract/decode';
import type { HookKind } from '../../contract/specs';

/**
 * What a replaced entry's delete hook leaves for its replacement's apply hook, in the same
 * Terraform run. Terraform never shows a create provisioner the object it replaces, and an
 * association keyed by an expression (another resource's id) keeps its key when that id changes:
 * only the old entry's delete hook, which runs first (DESIGN.md fact 2), knows the old id.
 *
 * The hand-over is a file beside the synthesized configuration, in a folder per Terraform process:
 * a later run never reads what an earlier run left (after `terraform destroy`, say). When the file
 * is lost (the run died between the two hooks), the old resource stays associated: nothing is
 * deleted that the configuration did not say to delete.
 */
export interface Handoff {
  /** Leaves the old spec for the replacement of this entry. */
  put(spec: unknown): void;
  /** Takes (and removes) what the replaced entry left, if anything. */
  take(): unknown;
}

/** A hand-over that keeps nothing: hooks run outside Terraform (tests, the drift command). */
export const NO_HANDOFF: Handoff = { put: () => undefined, take: () => undefined };

/**
 * The hand-over of entry `key` of table `kind`, next to `configFile` (cdk.tf.json), scoped to the
 * Terraform process `runId` (its pid). Folders of earlier runs are removed on the way.
 */
export function fileHandoff(configFile: string | undefined, runId: string | undefined, kind: string, key: string): Handoff {
  if (!configFile || !runId) return NO_HANDOFF;
  const root = path.join(path.dirname(configFile), '.cbr-handoff');
  const dir = path.join(root, runId);
  const file = path.join(dir, `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  return {
    put(spec) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const old of fs.readdirSync(root)) {
        if (old !== runId) fs.rmSync(path.join(root, old), { recursive: true, force: true });
      }
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(spec), { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    },
    take() {
      try {
        const text = fs.readFileSync(file, 'utf8');
        fs.rmSync(file, { force: true });
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The spec this entry's replaced predecessor left in this run, when there is one and it decodes;
 * otherwise undefined, and the apply hook removes nothing it no longer declares (nothing is lost).
 */
export function handedOver<K extends HookKind>(ctx: HookContext, kind: K): SpecOf[K] | undefined {
  const raw = ctx.handoff.take();
  try {
    return raw === undefined ? undefined : decodeSpec(kind, raw);
  } catch {
    return undefined;
  }
}
