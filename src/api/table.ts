import * as z from 'zod/mini';
import { ApiError, CBR_ERRORS, ErrorDef } from './errors';

/**
 * Request tables of the API reference as zod schemas. A builder call reads like a row of a
 * parameter table (Mandatory, Type, Minimum/Maximum, enumeration, array length) and gives both the
 * zod schema (whose inferred type is the request type the hook sends) and the row, from which
 * the emulator's
 * `validateRequest` words the first violation, in table order, as an ApiError naming the field by
 * its JSON path (`vault.billing.size`).
 *
 * Missing and wrongly typed values always answer BackupService.9900; a field may name a more
 * specific 7.2 code (`code`) for violations of its value (range, length, enumeration, pattern).
 * JSON `null` counts as "not given", as the document's "If the value of this parameter is null" implies.
 * Parameters that no table lists are rejected: a client must not believe it set something the API ignores.
 * Enumerations are typed `string`: the service may add values, and specs carry them as plain strings.
 */

/** Returns a problem description (without the path), or undefined when the value is fine. */
export type Check = (value: string) => string | undefined;
/** Cross-field rule of an object, stated by the document; throws ApiError. */
export type Rule = (obj: Record<string, unknown>, path: string) => void;

interface BaseOptions {
  /** 7.2 code for value violations of this field; BackupService.9900 otherwise. */
  readonly code?: ErrorDef;
}
export interface StringOptions extends BaseOptions {
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly check?: Check;
}
export interface IntegerOptions extends BaseOptions {
  readonly min?: number;
  readonly max?: number;
  /** Values allowed outside [min, max], like the documented `-1` of max_backups. */
  readonly also?: readonly number[];
}
export interface ArrayOptions extends BaseOptions {
  readonly min?: number;
  /** Exceeding it answers `code` when given: 7.2's codes for lists are all "the maximum number ... has been reached". */
  readonly max?: number;
}
export interface ObjectOptions extends BaseOptions {
  readonly rules?: readonly Rule[];
  /** Fields no table lists are let through (IAM's token request carries more than CBR reads). @default false */
  readonly loose?: boolean;
}

type Row =
  | ({ readonly type: 'string' } & StringOptions)
  | ({ readonly type: 'integer' } & IntegerOptions)
  | ({ readonly type: 'boolean' } & BaseOptions)
  | ({ readonly type: 'array'; readonly items: z.ZodMiniType } & ArrayOptions)
  | ({ readonly type: 'object'; readonly fields: Readonly<Record<string, z.ZodMiniType>> } & ObjectOptions);

const ROWS = new WeakMap<z.ZodMiniType, Row>();
const MANDATORY = new WeakSet<z.ZodMiniType>();

declare const mandatory: unique symbol;
/** A schema marked "Mandatory: Yes". */
export type Mandatory<S extends z.ZodMiniType> = S & { readonly [mandatory]: true };
type Field<S> = S extends { readonly [mandatory]: true } ? S : S extends z.ZodMiniType ? z.ZodMiniOptional<z.ZodMiniNullable<S>> : never;
export type Shape<T> = { -readonly [K in keyof T]: Field<T[K]> };

function rowOf(schema: z.ZodMiniType): Row {
  const row = ROWS.get(schema);
  if (!row) throw new Error('internal error: a schema that is not a request table row');
  return row;
}

function withRow<S extends z.ZodMiniType>(schema: S, row: Row): S {
  ROWS.set(schema, row);
  return schema;
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

export const string = (o: StringOptions = {}): z.ZodMiniString<string> => withRow(z.string(), { type: 'string', ...o });
export const integer = (o: IntegerOptions = {}): z.ZodMiniNumber<number> => withRow(z.number(), { type: 'integer', ...o });
export const boolean = (o: BaseOptions = {}): z.ZodMiniBoolean<boolean> => withRow(z.boolean(), { type: 'boolean', ...o });
export function array<I extends z.ZodMiniType>(items: I, o: ArrayOptions = {}): z.ZodMiniArray<I> {
  return withRow(z.array(items), { type: 'array', items, ...o });
}
export function object<T extends Record<string, z.ZodMiniType>>(fields: T, o: ObjectOptions = {}): z.ZodMiniObject<Shape<T>, z.core.$strict> {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, MANDATORY.has(s) ? s : z.nullish(s)]));
  return withRow(o.loose ? z.looseObject(shape) : z.strictObject(shape), { type: 'object', fields, ...o }) as unknown as z.ZodMiniObject<Shape<T>, z.core.$strict>;
}

/** Marks a field mandatory ("Mandatory: Yes"); the same table may be optional elsewhere. */
export function required<S extends z.ZodMiniType>(schema: S): Mandatory<S> {
  const copy = schema.clone() as S;
  ROWS.set(copy, rowOf(schema));
  MANDATORY.add(copy);
  return copy as Mandatory<S>;
}

/** A request body `{ <root>: {...} }`, as most write APIs take it. */
export function body<K extends string, S extends z.ZodMiniType>(root: K, table: S) {
  return object({ [root]: required(table) } as { [P in K]: Mandatory<S> });
}

/** `invalid` answers a malformed request of the API being validated (a value's own code wins). */
function fail(row: Row, path: string, problem: string, valueProblem: boolean, invalid: ErrorDef): never {
  throw new ApiError(valueProblem && row.code ? row.code : invalid, `${path} ${problem}`);
}

const TYPE_NAMES: Record<Row['type'], string> = {
  string: 'a string', integer: 'an integer', boolean: 'a boolean', object: 'an object', array: 'an array',
};

function typeOk(row: Row, v: unknown): boolean {
  switch (row.type) {
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

/**
 * Validates `value` against a table; `path` names it in messages. Throws ApiError on the first
 * violation: `invalid` for a missing, mistyped or unknown field, a field's own code for its value.
 */
export function validateValue(value: unknown, schema: z.ZodMiniType, path: string, invalid: ErrorDef = CBR_ERRORS.PARAMETER): void {
  const row = rowOf(schema);
  if (isAbsent(value)) {
    if (MANDATORY.has(schema)) fail(row, path, 'is mandatory.', false, invalid);
    return;
  }
  if (!typeOk(row, value)) fail(row, path, `must be ${TYPE_NAMES[row.type]}, got ${show(value)}.`, false, invalid);
  switch (row.type) {
    case 'string': return validateString(value as string, row, path, invalid);
    case 'integer': return validateInteger(value as number, row, path, invalid);
    case 'boolean': return;
    case 'object': return validateObject(value as Record<string, unknown>, row, path, invalid);
    case 'array': return validateArray(value as unknown[], row, path, invalid);
  }
}

function validateString(v: string, row: Row & StringOptions, path: string, invalid: ErrorDef): void {
  const len = charLength(v);
  if ((row.min !== undefined && len < row.min) || (row.max !== undefined && len > row.max)) {
    fail(row, path, `must be ${range(row.min, row.max, ' characters')} long, got ${len}.`, true, invalid);
  }
  if (row.enum && !row.enum.includes(v)) {
    fail(row, path, `must be one of ${row.enum.map((e) => JSON.stringify(e)).join(', ')}; got ${show(v)}.`, true, invalid);
  }
  const problem = row.check?.(v);
  if (problem) fail(row, path, `${problem}; got ${show(v)}.`, true, invalid);
}

function validateInteger(v: number, row: Row & IntegerOptions, path: string, invalid: ErrorDef): void {
  if (row.also?.includes(v)) return;
  if ((row.min !== undefined && v < row.min) || (row.max !== undefined && v > row.max)) {
    const also = row.also?.length ? `${row.also.join(' or ')} or ` : '';
    fail(row, path, `must be ${also}${range(row.min, row.max)}, got ${v}.`, true, invalid);
  }
}

function validateArray(v: unknown[], row: Row & { type: 'array' }, path: string, invalid: ErrorDef): void {
  const tooFew = row.min !== undefined && v.length < row.min;
  if (tooFew || (row.max !== undefined && v.length > row.max)) {
    fail(row, path, `must contain ${range(row.min, row.max, ' items')}, got ${v.length}.`, !tooFew, invalid);
  }
  v.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    // An array item is never optional: `[null]` is a malformed list, not an empty slot.
    if (isAbsent(item)) fail(rowOf(row.items), itemPath, 'is mandatory.', false, invalid);
    validateValue(item, row.items, itemPath, invalid);
  });
}

/** `vault` + `name` -> `vault.name`; the body itself has the empty path. */
function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function validateObject(v: Record<string, unknown>, row: Row & { type: 'object' }, path: string, invalid: ErrorDef): void {
  for (const key of row.loose ? [] : Object.keys(v)) {
    if (!(key in row.fields)) throw new ApiError(invalid, `${join(path, key)} is not a parameter of this API.`);
  }
  for (const [key, field] of Object.entries(row.fields)) validateValue(v[key], field, join(path, key), invalid);
  for (const rule of row.rules ?? []) rule(v, path);
}

/**
 * Validates a whole request body, which must be a JSON object, against its table and returns it
 * typed. `invalid` answers a malformed body (a missing or mistyped field; a value's own code wins).
 */
export function validateRequest<S extends z.ZodMiniType>(requestBody: unknown, schema: S, invalid: ErrorDef = CBR_ERRORS.PARAMETER): z.input<S> {
  if (!isPlainObject(requestBody)) throw new ApiError(invalid, `The request body must be a JSON object, got ${show(requestBody)}.`);
  validateValue(requestBody, schema, '', invalid);
  return requestBody as z.input<S>;
}

// ---- Reusable checks from the document's tables --------------------------------------------

/** Builds a check from a regular expression and the document's wording of it. */
export function matches(re: RegExp, wording: string): Check {
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
