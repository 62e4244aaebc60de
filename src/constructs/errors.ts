import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Fails synth with a message that names the construct, the field, the value received, the rule and the fix.
 * Unresolved tokens are skipped: their value is only known at apply time, where the API checks it.
 */
export function requireValid(scope: IConstruct, field: string, value: unknown, ok: boolean, rule: string, fix: string): void {
  if (ok || isUnresolved(value)) return;
  throw new Error(`${scope.node.path}: ${field} ${JSON.stringify(value)} is invalid: ${rule}. ${fix}`);
}

export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(isUnresolved);
  return false;
}
