import { isToken } from './tokens';
import type { RuleViolation } from './violation';

/** A region ID: 1-255 letters, digits, underscores and hyphens (as `destination_region`, API 4.8.1). */
export const REGION_ID = /^[A-Za-z0-9_-]{1,255}$/;
/** A project ID as IAM issues them (32 hexadecimal characters); a little looser, so that no real one is refused. */
const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The variables that give an HBR client's region when it names none. */
export const HBR_HOME = 'HBR_REGION_ID or ALIBABA_CLOUD_REGION_ID';

/** Where a CBR object lives, as a construct or a spec gives it; '' or undefined is "the environment's". */
export interface Location {
  readonly region?: unknown;
  readonly projectId?: unknown;
}

/** A location as constructs hold it: unset (or '', as specs write it) is the terraform run's. */
export interface Place {
  readonly region?: string;
  readonly projectId?: string;
}

/**
 * The field (`region` or `projectId`) in which two places differ for sure, or undefined: a value
 * known only at apply (a token) may be anything, and unset is the terraform run's.
 */
export function differentPlace(a: Place, b: Place): 'region' | 'projectId' | undefined {
  const differs = (x: string | undefined, y: string | undefined) => !isToken(x) && !isToken(y) && (x || '') !== (y || '');
  if (differs(a.region, b.region)) return 'region';
  if (differs(a.projectId, b.projectId)) return 'projectId';
  return undefined;
}

/** A place in messages: `region "x", project "y"`, or the terraform run's. */
export function describePlace(l: Place): string {
  if (!l.region && !l.projectId) return 'the region and project of the terraform run (HW_REGION_NAME, HW_PROJECT_ID)';
  const region = l.region ? `region "${l.region}"` : 'the region of the terraform run (HW_REGION_NAME)';
  const project = l.projectId ? `project "${l.projectId}"` : 'the project of HW_PROJECT_ID';
  return `${region}, ${project}`;
}

/**
 * A policy applies to the vaults of its own region and project (API 4.5.8): synth checks it on the
 * values it knows, the hook entry on those Terraform resolved.
 */
export function policyPlaceViolation(policyName: string, policy: Place, vault: { readonly name: string } & Place): RuleViolation | undefined {
  if (differentPlace(policy, vault) === undefined) return undefined;
  return {
    field: 'policy',
    value: policyName,
    rule: `a policy applies to the vaults of its own region and project (API 4.5.8), and it is in ${describePlace(policy)}, ` +
      `vault "${vault.name}" in ${describePlace(vault)}`,
    fix: 'Declare the policy in the vault\'s region and project.',
  };
}

/**
 * The first broken rule of a region and project, or undefined: a region ID or a project ID, each
 * checked only when given and known (a token is checked by the hook at apply, with this function).
 * `naming` words the fields as the caller names them.
 */
export function locationViolation(
  l: Location, naming = { region: 'region', projectId: 'projectId' }, unset: readonly unknown[] = [undefined], home = 'HW_REGION_NAME',
): RuleViolation | undefined {
  if (!unset.includes(l.region) && !isToken(l.region) && (typeof l.region !== 'string' || !REGION_ID.test(l.region))) {
    return {
      field: naming.region,
      value: l.region,
      rule: 'a region ID has 1-255 letters, digits, underscores (_) and hyphens (-)',
      fix: `Use the ID of the region, e.g. "ap-southeast-1", or leave it out for the region of the terraform run (${home}).`,
    };
  }
  if (!unset.includes(l.projectId) && !isToken(l.projectId) && (typeof l.projectId !== 'string' || !PROJECT_ID.test(l.projectId))) {
    return {
      field: naming.projectId,
      value: l.projectId,
      rule: 'a project ID has 1-64 letters, digits, underscores and hyphens (IAM gives 32 hexadecimal characters; API reference 7.3)',
      fix: 'Use the ID of your project in that region (console: My Credentials > API Credentials), or leave it out for HW_PROJECT_ID.',
    };
  }
  return undefined;
}
