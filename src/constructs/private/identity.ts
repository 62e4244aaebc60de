import { createHash } from 'node:crypto';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { reportViolation } from './violation';

/** The construct's path below its stack: the readable key of its hook-table entry. */
export function stackRelativePath(construct: IConstruct): string {
  const stack = TerraformStack.of(construct);
  const prefix = stack.node.path ? `${stack.node.path}/` : '';
  return construct.node.path.startsWith(prefix) ? construct.node.path.slice(prefix.length) : construct.node.path;
}

/**
 * A default cloud name derived from the construct path: readable, within `maxLength`, made of the
 * characters `allowed` keeps, and unique through a short hash of the full path.
 */
export function generatedName(construct: IConstruct, maxLength: number): string {
  const stack = TerraformStack.of(construct);
  const readable = `${stack.node.id}-${stackRelativePath(construct)}`.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-');
  const hash = createHash('sha256').update(construct.node.path).digest('hex').slice(0, 8);
  return `${readable.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

const CLAIMS = Symbol.for('cdktf-cbr.identity-claims');

/** The prop that names a cloud object, for the message when two constructs claim it. */
export interface ClaimedBy {
  /** The construct's prop, e.g. `vaultName`. */
  readonly field: string;
  /** Its value, e.g. the vault name. */
  readonly value: unknown;
  /** How to resolve the conflict. */
  readonly fix: string;
}

/**
 * Records that `construct` manages the cloud object named `identity` (e.g. `vault name "prod"`),
 * and fails when another construct in the same app already claims it: both would fight over one object.
 */
export function claimIdentity(construct: IConstruct, identity: string, claimedBy: ClaimedBy): void {
  const root = construct.node.root as IConstruct & { [CLAIMS]?: Map<string, string> };
  const claims = root[CLAIMS] ?? (root[CLAIMS] = new Map<string, string>());
  const holder = claims.get(identity);
  if (holder !== undefined && holder !== construct.node.path) {
    reportViolation(construct, {
      field: claimedBy.field,
      value: claimedBy.value,
      rule: `${identity} is already managed by ${holder}, and two constructs cannot manage one cloud object`,
      fix: claimedBy.fix,
    });
  }
  claims.set(identity, construct.node.path);
}
