import { IConstruct } from 'constructs';
import { isToken } from '../../rules/tokens';
import { RuleViolation, violationText } from '../../rules/violation';

/**
 * The one way a construct fails synth on a broken rule:
 * `${construct path}: ${field} ${value received} is invalid: ${rule}. ${fix}`.
 *
 * Rule functions (src/rules/vault.ts, src/schedule/replication.ts...) return `undefined` when nothing is broken, so
 * their result is passed as is. `Schedule` and `Retention` have no construct to name and word
 * their sentence themselves (it starts with the field, "schedule ..." or "retention ..."), so a
 * string is taken too and gets the same path prefix.
 */
export function reportViolation(scope: IConstruct, violation: RuleViolation | string | undefined): void {
  if (violation === undefined) return;
  throw new Error(`${scope.node.path}: ${typeof violation === 'string' ? violation : violationText(violation)}`);
}

/**
 * Reports `violation` unless `ok`. A value that is an unresolved token is known only at apply
 * time, where the API (or the hook, with the same rule) checks it, so it is not reported here.
 */
export function requireValid(scope: IConstruct, ok: boolean, violation: RuleViolation): void {
  if (!ok && !isToken(violation.value)) reportViolation(scope, violation);
}
