import { IConstruct } from 'constructs';
import { reportViolation } from './violation';
import { locationViolation } from '../../rules/location';
import { isToken } from '../../rules/tokens';
import { CbrDefaults, CbrLocationOptions } from '../location';

/**
 * The location of a construct of this library: its own props, checked, else its scope's defaults.
 * A project alone stays in the scope's region.
 */
export function resolveLocation(scope: IConstruct, props: CbrLocationOptions): CbrLocationOptions {
  reportViolation(scope, locationViolation(props));
  const defaults = CbrDefaults.of(scope.node.scope ?? scope);
  if (props.region !== undefined) return { region: props.region, projectId: props.projectId };
  return { region: defaults.region, projectId: props.projectId ?? defaults.projectId };
}

/**
 * The field (`region` or `projectId`) in which two locations differ for sure, or undefined: a
 * value known only at apply (a token) may be anything, and unset is the environment's.
 */
export function differentLocation(a: CbrLocationOptions, b: CbrLocationOptions): 'region' | 'projectId' | undefined {
  const differs = (x: string | undefined, y: string | undefined) => !isToken(x) && !isToken(y) && (x ?? '') !== (y ?? '');
  if (differs(a.region, b.region)) return 'region';
  if (differs(a.projectId, b.projectId)) return 'projectId';
  return undefined;
}
