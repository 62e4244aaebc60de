/**
 * One broken rule, in the words a synth error needs: the field (as the caller names it), the
 * value received, the rule (citing the API reference) and the fix. Constructs prefix their path:
 * `${path}: ${field} ${value} is invalid: ${rule}. ${fix}` (the shape of `requireValid`).
 */
export interface RuleViolation {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
}

/** The violation as a sentence without a construct path: `${field} ${value} is invalid: ${rule}. ${fix}`. */
export function violationText(v: RuleViolation): string {
  return `${v.field} ${JSON.stringify(v.value)} is invalid: ${v.rule}. ${v.fix}`;
}
