/**
 * Every environment variable the hooks and the `cdktf-cbr` command read, in one table, read once
 * where a process starts (hook-main, the warm runner, the CLI's main) into a frozen Settings object
 * that is passed down: no other module of the runtime reads the environment. The hook's entry
 * bundle includes this module, so it stays small and uses no dependency.
 */

/** An environment: process.env, or what a test or the warm runner hands over. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The environment is incomplete or invalid; the message names the variable and what to set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * How a value is read. Every kind but `text` is trimmed, and an empty value counts as unset.
 * - `string`: as given; `secret`: the same, never printed (not in errors, JSON or inspect);
 * - `text`: verbatim (a spec, a key, a path Terraform passes); `chunks`: the same, split over NAME,
 *   NAME_2, NAME_3... (one variable holds at most 128 KiB on Linux), read as the list of parts;
 * - `integer`: a whole number from `min` to `max`; `url`: absolute http(s), no credentials, query
 *   or fragment, trailing slashes dropped; `id`: matches `pattern`; `switch`: on/off;
 * - `delays`: CBR_TEST_DELAY's `action:kind:ms` rules, separated by commas.
 */
export type SettingKind = 'string' | 'secret' | 'text' | 'chunks' | 'integer' | 'url' | 'id' | 'switch' | 'delays';

export interface SettingSpec {
  /** The variable's name. */
  readonly env: string;
  readonly kind: SettingKind;
  /** One line, for the README table and the error messages' readers. */
  readonly meaning: string;
  /** The value when unset. */
  readonly default?: number | boolean | string;
  /** A default that depends on other settings (the caller computes it), for the documentation. */
  readonly derived?: string;
  readonly min?: number;
  readonly max?: number;
  /** `id` values. */
  readonly pattern?: RegExp;
  /** What an `id` value must be, e.g. 'a region id such as "cn-hangzhou"'. */
  readonly expected?: string;
  /** The lower-case name is read first, as curl reads the proxy variables. */
  readonly lowerCaseFirst?: boolean;
}

const REGION = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/i;
/** Node's longest timer: a longer setTimeout fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** CBR_TEST_DELAY holds one hook back by at most this. */
const MAX_TEST_DELAY_MS = 60_000;

// Builders that keep each row of the table on one line.
const plain = <K extends 'string' | 'secret' | 'text' | 'chunks'>(env: string, kind: K, meaning: string) => ({ env, kind, meaning });
const url = (env: string, derived: string, meaning: string) => ({ env, kind: 'url' as const, derived, meaning });
const region = (env: string, example: string, meaning: string) =>
  ({ env, kind: 'id' as const, pattern: REGION, expected: `a region id such as "${example}"`, meaning });
/** A time in ms that a timer waits: 1 ms to Node's longest timer. */
const ms = (env: string, fallback: number, meaning: string) => ({ env, kind: 'integer' as const, min: 1, max: MAX_TIMER_MS, default: fallback, meaning });

/** The schema: every variable, in the order of the README's table. */
export const SETTINGS = {
  hwAccessKey: plain('HW_ACCESS_KEY', 'secret', 'access key of AK/SK request signing (SDK-HMAC-SHA256), the default authentication'),
  hwSecretKey: plain('HW_SECRET_KEY', 'secret', 'secret key of AK/SK request signing'),
  hwUserName: plain('HW_USER_NAME', 'string', 'IAM user name, for token authentication instead of AK/SK'),
  hwPassword: plain('HW_PASSWORD', 'secret', 'IAM user password, for token authentication'),
  hwDomainName: plain('HW_DOMAIN_NAME', 'string', 'account (domain) name, for token authentication'),
  hwAuthUrl: url('HW_AUTH_URL', 'https://iam.{region}.myhuaweicloud.com/v3', 'IAM v3 endpoint that issues tokens'),
  hwProjectName: plain('HW_PROJECT_NAME', 'string', 'scope tokens by project name instead of HW_PROJECT_ID'),
  hwRegionName: region('HW_REGION_NAME', 'ap-southeast-1', 'region of the CBR objects that name none (required by CBR hooks)'),
  hwProjectId: {
    env: 'HW_PROJECT_ID',
    kind: 'id',
    pattern: /^[A-Za-z0-9_-]+$/,
    expected: 'a project id (letters, digits, "-" and "_")',
    meaning: 'project of the CBR objects in HW_REGION_NAME that name none (required by CBR hooks)',
  },
  hwCbrEndpoint: url('HW_CBR_ENDPOINT', 'https://cbr.{region}.myhuaweicloud.com', 'CBR endpoint; `{region}` in it stands for each object\'s region (without it, it serves HW_REGION_NAME only)'),
  cbrOrderTimeoutMs: ms('CBR_ORDER_TIMEOUT_MS', 600_000, 'how long a yearly/monthly vault order is waited for, in ms'),
  cbrOrderPollMs: ms('CBR_ORDER_POLL_MS', 2_000, 'how often an ordered vault is looked for, in ms'),
  alibabaAccessKeyId: plain('ALIBABA_CLOUD_ACCESS_KEY_ID', 'secret', 'AccessKey id of a RAM user allowed to call HBR (required by HBR hooks)'),
  alibabaAccessKeySecret: plain('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'secret', 'AccessKey secret of that RAM user'),
  alibabaSecurityToken: plain('ALIBABA_CLOUD_SECURITY_TOKEN', 'secret', 'STS token, with a temporary AccessKey pair'),
  alibabaRegionId: region('ALIBABA_CLOUD_REGION_ID', 'cn-hangzhou', 'region of the ECS instances with HBR clients'),
  hbrRegionId: region('HBR_REGION_ID', 'cn-hangzhou', 'HBR region, wins over ALIBABA_CLOUD_REGION_ID'),
  hbrEndpoint: url('HBR_ENDPOINT', 'https://hbr.{region}.aliyuncs.com', 'HBR endpoint'),
  hbrTaskTimeoutMs: ms('HBR_TASK_TIMEOUT_MS', 15 * 60_000, 'how long an HBR install/upgrade job is waited for, in ms (UpgradeBackupClients: 15 minutes)'),
  hbrTaskPollMs: ms('HBR_TASK_POLL_MS', 5_000, 'how often DescribeTask is polled, in ms'),
  httpTimeoutMs: ms('CBR_HTTP_TIMEOUT_MS', 30_000, 'per-request timeout (connect, headers, each body chunk), in ms'),
  httpMaxAttempts: { env: 'CBR_HTTP_MAX_ATTEMPTS', kind: 'integer', min: 1, default: 6, meaning: 'attempts per request, the first included' },
  httpBudgetMs: ms('CBR_HTTP_BUDGET_MS', 120_000, 'time budget of a request and its retries, in ms'),
  caFile: plain('CBR_CA_FILE', 'string', 'PEM file of CA certificates to trust besides Node\'s own'),
  httpsProxy: { ...plain('HTTPS_PROXY', 'secret', 'proxy for https endpoints (a CONNECT tunnel)'), lowerCaseFirst: true },
  httpProxy: { ...plain('HTTP_PROXY', 'secret', 'proxy for http endpoints, and for https ones when HTTPS_PROXY is unset'), lowerCaseFirst: true },
  noProxy: { ...plain('NO_PROXY', 'string', 'hosts reached without a proxy'), lowerCaseFirst: true },
  hookRunner: { env: 'CBR_HOOK_RUNNER', kind: 'switch', default: true, meaning: 'off: every hook runs in its own process, with no warm runner' },
  hookRunnerIdleMs: ms('CBR_HOOK_RUNNER_IDLE_MS', 5_000, 'how long an idle warm runner waits for the next hook, in ms'),
  hookConcurrency: {
    env: 'CBR_HOOK_CONCURRENCY', kind: 'integer', min: 1, max: 64, default: 10, meaning: 'how many objects the hook entry applies at a time (Terraform\'s -parallelism is 10 too)',
  },
  spec: plain('CBR_SPEC', 'text', 'the hook\'s spec as JSON (set by the provisioner)'),
  key: plain('CBR_KEY', 'text', 'the construct key, when not given as an argument (set by the provisioner)'),
  configFile: plain('CBR_CONFIG_FILE', 'text', 'the synthesized configuration Terraform applies (set by the provisioner)'),
  terraformPid: plain('CBR_TERRAFORM_PID', 'text', 'the Terraform process running the hook (set by the hook itself)'),
  deployment: plain('CBR_DEPLOYMENT', 'text', 'the id of the stack\'s deployment anchor (set by the hook entry\'s provisioner)'),
  digest: plain('CBR_DIGEST', 'text', 'the digest of the entries synth wrote, checked against CBR_CONFIG_FILE (set by the hook entry\'s provisioner)'),
  resolved: plain('CBR_RESOLVED', 'chunks', 'the entries whose values Terraform knows only at apply, as it resolved them (set by the hook entry\'s provisioner)'),
  hookLog: plain('CBR_HOOK_LOG', 'string', 'tests and benchmarks: a file every hook process appends one line to (pid, action, kind, key)'),
  testDelay: { env: 'CBR_TEST_DELAY', kind: 'delays', meaning: 'tests only: action:kind:ms rules that hold hooks back' },
  terraformBin: { env: 'TERRAFORM_BIN', kind: 'string', default: 'terraform', meaning: 'the Terraform binary cdktf-cbr drift and plan run' },
} as const satisfies Record<string, SettingSpec>;

type Table = typeof SETTINGS;

/** One CBR_TEST_DELAY rule: hold `action` hooks of `kind` back by `ms`. */
export interface DelayRule {
  readonly action: string;
  readonly kind: string;
  readonly ms: number;
}

type ValueOf<S> = S extends { kind: 'integer' } ? number
  : S extends { kind: 'switch' } ? boolean
    : S extends { kind: 'delays' } ? readonly DelayRule[]
      : S extends { kind: 'chunks' } ? readonly string[] : string;

/** The settings, one field per variable: undefined when unset and without a default. */
export type Settings = {
  readonly [K in keyof Table]: Table[K] extends { default: unknown } | { kind: 'delays' } | { kind: 'chunks' } ? ValueOf<Table[K]> : ValueOf<Table[K]> | undefined;
};

export const REDACTED = '<redacted>';

/** Shows only the first 4 characters of an access key, which identify it without disclosing it. */
export function redactKey(key: string): string {
  return key.length <= 4 ? REDACTED : `${key.slice(0, 4)}...`;
}

/**
 * Makes `obj` print as `view()` everywhere (JSON, util.inspect, template strings) and freezes it.
 * The inspect symbol is the registered one, so node:util is not loaded for it.
 */
export function printable<T extends object>(obj: T, view: () => Record<string, unknown>): T {
  Object.defineProperty(obj, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(obj, Symbol.for('nodejs.util.inspect.custom'), { value: () => view(), enumerable: false });
  Object.defineProperty(obj, 'toString', { value: () => JSON.stringify(view()), enumerable: false });
  return Object.freeze(obj);
}

/** The value as an error message may show it: never a secret's. */
function shown(spec: SettingSpec, raw: string): string {
  return spec.kind === 'secret' ? 'a value that is not shown (secret)' : JSON.stringify(raw);
}

/** `rule` completes "NAME must ...", e.g. 'be a positive whole number'. */
function invalid(spec: SettingSpec, raw: string, rule: string): ConfigError {
  const fallback = spec.default === undefined ? '' : ` Unset it to use the default (${spec.default === true ? 'on' : spec.default === false ? 'off' : spec.default}).`;
  return new ConfigError(`${spec.env} must ${rule}, got ${shown(spec, raw)}.${fallback}`);
}

function integer(spec: SettingSpec, raw: string): number {
  const min = spec.min ?? 0;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min) throw invalid(spec, raw, min === 1 ? 'be a positive whole number' : `be a whole number of at least ${min}`);
  if (n > max) throw invalid(spec, raw, `be at most ${max}`);
  return n;
}

function absoluteUrl(spec: SettingSpec, raw: string): string {
  let parsed: URL;
  try {
    // `{region}` stands for each object's region (HW_CBR_ENDPOINT): any region id is a valid host label.
    parsed = new URL(raw.replace(/\{region\}/g, 'region'));
  } catch {
    throw invalid(spec, raw, 'be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid(spec, raw, 'use https:// (or http:// for a local emulator)');
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    // Not echoed: the value may hold a password.
    throw new ConfigError(`${spec.env} must not contain credentials, a query or a fragment; set only scheme, host, port and path.`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * The endpoint of `region` from an endpoint variable (HW_CBR_ENDPOINT, HBR_ENDPOINT): `{region}`
 * replaced, or the value as it is for the region of the terraform run only (an endpoint of one
 * region would send another region's calls astray); unset, the service's public endpoint.
 */
export function regionalEndpoint(
  variable: string, configured: string | undefined, at: { readonly region?: string; readonly atHome: boolean },
  words: { readonly home: string; readonly object: string }, publicUrl: (regionId: string) => string,
): string {
  const name = at.region;
  if (configured === undefined) return publicUrl(name!);
  if (configured.includes('{region}')) {
    if (name === undefined) throw new ConfigError(`${variable} (${configured}) names {region}, and no region is set.`);
    return configured.replace(/\{region\}/g, name);
  }
  if (at.atHome) return configured;
  throw new ConfigError(`${variable} (${configured}) is the endpoint of ${words.home} only, and ${words.object} is in region "${name}"; ` +
    `put {region} where the region goes, e.g. ${variable}=${publicUrl('{region}').replace(/\.[a-z]+\.com$/, '.example.com')}.`);
}

function onOff(spec: SettingSpec, raw: string): boolean {
  if (/^(on|true|1|yes)$/i.test(raw)) return true;
  if (/^(off|false|0|no)$/i.test(raw)) return false;
  throw invalid(spec, raw, 'be on or off');
}

function delays(spec: SettingSpec, raw: string): DelayRule[] {
  return raw.split(',').filter((r) => r.trim() !== '').map((rule) => {
    const m = /^\s*(\w+):(\w+):(\d+)\s*$/.exec(rule);
    if (!m || Number(m[3]) < 1 || Number(m[3]) > MAX_TEST_DELAY_MS) {
      throw invalid(spec, raw, `be rules such as "delete:association:1500" separated by commas, each of 1 to ${MAX_TEST_DELAY_MS} ms`);
    }
    return { action: m[1], kind: m[2], ms: Number(m[3]) };
  });
}

/** A `chunks` value: NAME, then NAME_2, NAME_3... while they are set. */
function chunks(env: Env, spec: SettingSpec): string[] {
  const parts: string[] = [];
  for (let n = 1; ; n++) {
    const part = env[n === 1 ? spec.env : `${spec.env}_${n}`];
    if (part === undefined || part === '') return parts;
    parts.push(part);
  }
}

function readOne(env: Env, spec: SettingSpec): unknown {
  if (spec.kind === 'chunks') return chunks(env, spec);
  const raw = (spec.lowerCaseFirst ? env[spec.env.toLowerCase()] : undefined) ?? env[spec.env];
  const value = spec.kind === 'text' ? raw : raw?.trim();
  if (value === undefined || value === '') return spec.kind === 'delays' ? [] : spec.default;
  switch (spec.kind) {
    case 'integer': return integer(spec, value);
    case 'url': return absoluteUrl(spec, value);
    case 'switch': return onOff(spec, value);
    case 'delays': return delays(spec, value);
    case 'id':
      if (!spec.pattern!.test(value)) throw invalid(spec, value, `be ${spec.expected!}`);
      return value;
    default: return value;
  }
}

/**
 * Reads every variable of the table from `env`, once. A bad value throws a ConfigError that names
 * the variable, the value (unless it is secret) and what is expected; an unset one is undefined or
 * its default. Whether a setting is required depends on the hook (a CBR hook needs no Alibaba
 * credentials), so the clients' configs check that. Secrets are left out of JSON, inspect and
 * enumeration (spreading the object drops them: pass it whole).
 */
export function readSettings(env: Env): Settings {
  const values: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const [field, spec] of Object.entries(SETTINGS) as Array<[string, SettingSpec]>) {
    values[field] = readOne(env, spec);
    if (spec.kind === 'secret' && values[field] !== undefined) secrets.push(field);
  }
  for (const field of secrets) Object.defineProperty(values, field, { enumerable: false });
  const view = () => ({ ...values, ...Object.fromEntries(secrets.map((f) => [f, REDACTED])) });
  return printable(values, view) as unknown as Settings;
}
