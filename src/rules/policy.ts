import { isToken } from './tokens';
import type { RuleViolation } from './violation';

const POLICY_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The rule of a policy name (4.8.1 PolicyCreate.name), for synth and for the hook, which checks
 * the resolved name of a policy whose name was a token at synth.
 */
export function policyNameViolation(field: string, name: unknown): RuleViolation | undefined {
  if (isToken(name) || (typeof name === 'string' && POLICY_NAME.test(name))) return undefined;
  return {
    field,
    value: name,
    rule: 'a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1)',
    fix: 'Remove the other characters or shorten the name.',
  };
}
