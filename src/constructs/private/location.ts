import { IConstruct } from 'constructs';
import { reportViolation } from './violation';
import { locationViolation } from '../../rules/location';
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
