import { Token } from 'cdktf';

/**
 * Whether a value is an unresolved cdktf token (a Terraform variable, a resource attribute...):
 * its value is only known at apply time, so synth-time rules skip it and the API checks it then.
 * Covers string, number and list tokens, resolvable objects (e.g. boolean variables) and lists
 * holding any of them.
 */
export function isToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Token.isUnresolved(value)) return true;
  // A string may also be the single element of an encoded list token (Token.asList).
  if (typeof value === 'string') return Token.isUnresolved([value]);
  if (Array.isArray(value)) return value.some(isToken);
  return false;
}
