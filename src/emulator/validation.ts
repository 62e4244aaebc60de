import { ApiError, CBR_ERRORS, ErrorDef } from './errors';

/**
 * Table-driven request validation. A spec reads like a row of the API reference's parameter
 * tables (Mandatory, Type, Minimum/Maximum, enumeration, array length); the first violation, in
 * table order, is thrown as an ApiError naming the field by its JSON path (`vault.billing.size`).
 *
 * Missing and wrongly typed values always answer BackupService.9900; a field may name a more
 * specific 7.2 code (`code`) for violations of its value (range, length, enumeration, pattern).
 * JSON `null` counts as "not given", as the document's "If the value of this parameter is null" implies.
 * Parameters that no table lists are rejected: a client must not believe it set something the API ignores.
 */

/** Returns a problem description (without the path), or undefined when the value is fine. */
export type Check<T> = (value: T) => string | undefined;
/** Cross-field rule of an object; throws ApiError. */
export type Rule = (obj: Record<string, unknown>, path: string) => void;

interface BaseSpec {
  readonly required?: boolean;
  /** 7.2 code for value violations of this field; BackupService.9900 otherwise. */
  readonly code?: ErrorDef;
}

export interface StringSpec extends BaseSpec {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly check?: Check<string>;
}

export interface IntegerSpec extends BaseSpec {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
  /** Values allowed outside [min, max], like the documented `-1` of max_backups. */
  readonly also?: readonly number[];
}

export interface BooleanSpec extends BaseSpec {
  readonly type: 'boolean';
}

export interface ObjectSpec extends BaseSpec {
  readonly type: 'object';
  readonly fields: Readonly<Record<string, Spec>>;
  readonly rules?: readonly Rule[];
}

export interface ArraySpec extends BaseSpec {
  readonly type: 'array';
  readonly items: Spec;
  readonly min?: number;
  /** Exceeding it answers `code` when given: 7.2's codes for lists are all "the maximum number ... has been reached". */
  readonly max?: number;
}

export type Spec = StringSpec | IntegerSpec | BooleanSpec | ObjectSpec | ArraySpec;

type Options<S> = Omit<S, 'type'>;

export const string = (o: Options<StringSpec> = {}): StringSpec => ({ type: 'string', ...o });
export const integer = (o: Options<IntegerSpec> = {}): IntegerSpec => ({ type: 'integer', ...o });
export const boolean = (o: Options<BooleanSpec> = {}): BooleanSpec => ({ type: 'boolean', ...o });
export const object = (fields: ObjectSpec['fields'], o: Omit<Options<ObjectSpec>, 'fields'> = {}): ObjectSpec => ({ type: 'object', fields, ...o });
export const array = (items: Spec, o: Omit<Options<ArraySpec>, 'items'> = {}): ArraySpec => ({ type: 'array', items, ...o });

/** Marks a spec mandatory ("Mandatory: Yes"). */
export function required<S extends Spec>(spec: S): S {
  return { ...spec, required: true };
}

export function isAbsent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as it appears in an error message. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Length in characters (code points), as a user counts them. */
export function charLength(s: string): number {
  return [...s].length;
}

function fail(spec: Spec, path: string, problem: string, valueProblem: boolean): never {
  throw new ApiError(valueProblem && spec.code ? spec.code : CBR_ERRORS.PARAMETER, `${path} ${problem}`);
}

const TYPE_NAMES: Record<Spec['type'], string> = {
  string: 'a string', integer: 'an integer', boolean: 'a boolean', object: 'an object', array: 'an array',
};

function typeOk(spec: Spec, v: unknown): boolean {
  switch (spec.type) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
  }
}

function range(min: number | undefined, max: number | undefined, unit = ''): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}${unit}`;
  if (min !== undefined) return `at least ${min}${unit}`;
  return `at most ${max}${unit}`;
}

/** Validates `value` against `spec`; `path` names it in messages. Throws ApiError on the first violation. */
export function validate(value: unknown, spec: Spec, path: string): void {
  if (isAbsent(value)) {
    if (spec.required) fail(spec, path, 'is mandatory.', false);
    return;
  }
  if (!typeOk(spec, value)) fail(spec, path, `must be ${TYPE_NAMES[spec.type]}, got ${show(value)}.`, false);
  switch (spec.type) {
    case 'string': return validateString(value as string, spec, path);
    case 'integer': return validateInteger(value as number, spec, path);
    case 'boolean': return;
    case 'object': return validateObject(value as Record<string, unknown>, spec, path);
    case 'array': return validateArray(value as unknown[], spec, path);
  }
}

function validateString(v: string, spec: StringSpec, path: string): void {
  const len = charLength(v);
  if ((spec.min !== undefined && len < spec.min) || (spec.max !== undefined && len > spec.max)) {
    fail(spec, path, `must be ${range(spec.min, spec.max, ' characters')} long, got ${len}.`, true);
  }
  if (spec.enum && !spec.enum.includes(v)) {
    fail(spec, path, `must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}; got ${show(v)}.`, true);
  }
  const problem = spec.check?.(v);
  if (problem) fail(spec, path, `${problem}; got ${show(v)}.`, true);
}

function validateInteger(v: number, spec: IntegerSpec, path: string): void {
  if (spec.also?.includes(v)) return;
  if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
    const also = spec.also?.length ? `${spec.also.join(' or ')} or ` : '';
    fail(spec, path, `must be ${also}${range(spec.min, spec.max)}, got ${v}.`, true);
  }
}

function validateArray(v: unknown[], spec: ArraySpec, path: string): void {
  const tooFew = spec.min !== undefined && v.length < spec.min;
  if (tooFew || (spec.max !== undefined && v.length > spec.max)) {
    fail(spec, path, `must contain ${range(spec.min, spec.max, ' items')}, got ${v.length}.`, !tooFew);
  }
  v.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    // An array item is never optional: `[null]` is a malformed list, not an empty slot.
    if (isAbsent(item)) fail(spec.items, itemPath, 'is mandatory.', false);
    validate(item, spec.items, itemPath);
  });
}

/** `vault` + `name` -> `vault.name`; the body itself has the empty path. */
function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function validateObject(v: Record<string, unknown>, spec: ObjectSpec, path: string): void {
  for (const key of Object.keys(v)) {
    if (!(key in spec.fields)) throw new ApiError(CBR_ERRORS.PARAMETER, `${join(path, key)} is not a parameter of this API.`);
  }
  for (const [key, fieldSpec] of Object.entries(spec.fields)) validate(v[key], fieldSpec, join(path, key));
  for (const rule of spec.rules ?? []) rule(v, path);
}

/** Validates a request body `{ <root>: {...} }` against the spec of its root object. */
export function validateBody(body: unknown, root: string, spec: ObjectSpec): Record<string, unknown> {
  if (!isPlainObject(body)) throw new ApiError(CBR_ERRORS.PARAMETER, `The request body must be a JSON object, got ${show(body)}.`);
  validate(body, object({ [root]: required(spec) }), '');
  return body[root] as Record<string, unknown>;
}

// ---- Reusable checks from the document's tables --------------------------------------------

/**
 * Table 4-157 Tag key/value: spaces before and after are discarded, then the length limit and
 * the character set apply ("letters, digits, hyphens (-), and underscores (_)" for keys, plus
 * periods for values). "Letters" and "digits" are read as Unicode letters and digits; the
 * forbidden characters (=*<>,|/ and ASCII 0-31) are all outside that set anyway.
 */
const TAG_KEY_CHARS = /^[\p{L}\p{N}_-]+$/u;
const TAG_VALUE_CHARS = /^[\p{L}\p{N}_.-]*$/u;

export const tagKeyCheck: Check<string> = (raw) => {
  const v = raw.trim();
  if (v === '') return 'cannot be an empty string';
  if (charLength(v) > 36) return 'can contain a maximum of 36 characters';
  if (!TAG_KEY_CHARS.test(v)) return 'can contain only letters, digits, hyphens (-), and underscores (_)';
  return undefined;
};

export const tagValueCheck: Check<string> = (raw) => {
  const v = raw.trim();
  if (charLength(v) > 43) return 'can contain a maximum of 43 characters';
  if (!TAG_VALUE_CHARS.test(v)) return 'can contain only letters, digits, hyphens (-), underscores (_), and periods (.)';
  return undefined;
};

/** Table 4-159 BindRulesTags: same character sets as tags, no length limits stated. */
export const bindRuleKeyCheck: Check<string> = (v) =>
  (v === '' || !TAG_KEY_CHARS.test(v) ? 'can contain only letters, digits, hyphens (-), and underscores (_)' : undefined);
export const bindRuleValueCheck: Check<string> = (v) =>
  (!TAG_VALUE_CHARS.test(v) ? 'can contain only letters, digits, periods (.), hyphens (-), and underscores (_)' : undefined);

/** Builds a check from a regular expression and the document's wording of it. */
export function matches(re: RegExp, wording: string): Check<string> {
  return (v) => (re.test(v) ? undefined : wording);
}

/** Rule: keys of a list of objects must be unique (after trimming, as they are stored). */
export function uniqueBy(listField: string, keyField: string, code: ErrorDef = CBR_ERRORS.PARAMETER): Rule {
  return (obj, path) => {
    const list = obj[listField];
    if (!Array.isArray(list)) return;
    const seen = new Set<string>();
    list.forEach((item: Record<string, unknown>, i) => {
      const key = String(item[keyField]).trim();
      if (seen.has(key)) throw new ApiError(code, `${path}.${listField}[${i}].${keyField} ${show(key)} is given more than once.`);
      seen.add(key);
    });
  };
}

// ---- Query parameters (always strings on the wire) -----------------------------------------

/** An optional integer query parameter; BackupService.9900 when it is not a whole number in range. */
export function queryInteger(query: URLSearchParams, name: string, min: number, max?: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new ApiError(CBR_ERRORS.PARAMETER, `query parameter ${name} must be an integer ${range(min, max)}; got ${show(raw)}.`);
  }
  return n;
}

/** An optional enumerated query parameter. */
export function queryEnum(
  query: URLSearchParams, name: string, values: readonly string[], code: ErrorDef = CBR_ERRORS.PARAMETER,
): string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!values.includes(raw)) {
    throw new ApiError(code, `query parameter ${name} must be one of ${values.map((e) => JSON.stringify(e)).join(', ')}; got ${show(raw)}.`);
  }
  return raw;
}
