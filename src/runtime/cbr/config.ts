import { inspect } from 'node:util';

/**
 * CBR connection settings, read from the environment of the `terraform` process at apply time.
 * Credentials never come from the spec, the synthesized JSON or the Terraform state.
 */

export interface AkSkAuth {
  readonly kind: 'aksk';
  readonly accessKey: string;
  /** Non-enumerable, and redacted by toJSON/inspect. */
  readonly secretKey: string;
}

export interface TokenAuth {
  readonly kind: 'token';
  readonly userName: string;
  /** Non-enumerable, and redacted by toJSON/inspect. */
  readonly password: string;
  readonly domainName: string;
  /** IAM v3 base URL; tokens come from `{authUrl}/auth/tokens`. */
  readonly authUrl: string;
  /** Scope the token by project name instead of id (HW_PROJECT_NAME). */
  readonly projectName?: string;
}

export type CbrAuth = AkSkAuth | TokenAuth;

export interface CbrConfig {
  readonly region: string;
  readonly projectId: string;
  /** Base URL without trailing slash, e.g. `https://cbr.ap-southeast-1.myhuaweicloud.com`. */
  readonly endpoint: string;
  readonly auth: CbrAuth;
}

/** The environment is incomplete or invalid; the message names the variable and what to set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const CBR_ENV = {
  accessKey: 'HW_ACCESS_KEY',
  secretKey: 'HW_SECRET_KEY',
  userName: 'HW_USER_NAME',
  password: 'HW_PASSWORD',
  domainName: 'HW_DOMAIN_NAME',
  authUrl: 'HW_AUTH_URL',
  region: 'HW_REGION_NAME',
  projectId: 'HW_PROJECT_ID',
  projectName: 'HW_PROJECT_NAME',
  endpoint: 'HW_CBR_ENDPOINT',
} as const;

const REDACTED = '<redacted>';

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function required(env: Env, name: string, why: string): string {
  const v = read(env, name);
  if (v === undefined) throw new ConfigError(`${name} is not set: ${why}`);
  return v;
}

function baseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must use https:// (or http:// for a local emulator), got "${raw}".`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${name} must not contain credentials, a query or a fragment; set only scheme, host, port and path.`);
  }
  return raw.replace(/\/+$/, '');
}

/** Makes the secret field non-enumerable and the object print as redacted everywhere. */
function protect<T extends object>(obj: T, secretField: keyof T, view: () => Record<string, unknown>): T {
  Object.defineProperty(obj, secretField, { enumerable: false });
  Object.defineProperty(obj, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(obj, inspect.custom, { value: () => view(), enumerable: false });
  Object.defineProperty(obj, 'toString', { value: () => JSON.stringify(view()), enumerable: false });
  return Object.freeze(obj);
}

function akskAuth(accessKey: string, secretKey: string): AkSkAuth {
  const auth = { kind: 'aksk' as const, accessKey, secretKey };
  return protect(auth, 'secretKey', () => ({ kind: 'aksk', accessKey: redactKey(accessKey), secretKey: REDACTED }));
}

function tokenAuth(fields: Omit<TokenAuth, 'kind'>): TokenAuth {
  const auth: TokenAuth = { kind: 'token', ...fields };
  return protect(auth, 'password', () => ({ ...auth, password: REDACTED }));
}

/** Shows only the first 4 characters of an access key, which identify it without disclosing it. */
function redactKey(key: string): string {
  return key.length <= 4 ? REDACTED : `${key.slice(0, 4)}...`;
}

/**
 * Reads the CBR settings. AK/SK auth when HW_ACCESS_KEY or HW_SECRET_KEY is set (the default),
 * otherwise token auth from HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME.
 */
export function loadCbrConfig(env: Env = process.env): CbrConfig {
  const region = required(env, CBR_ENV.region,
    'set it to the region of the CBR vaults, e.g. HW_REGION_NAME=ap-southeast-1.');
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/i.test(region)) {
    throw new ConfigError(`${CBR_ENV.region} must be a region id such as "ap-southeast-1", got "${region}".`);
  }

  const ak = read(env, CBR_ENV.accessKey);
  const sk = read(env, CBR_ENV.secretKey);
  const tokenVars = [CBR_ENV.userName, CBR_ENV.password, CBR_ENV.domainName];
  let auth: CbrAuth;
  if (ak !== undefined || sk !== undefined) {
    if (ak === undefined) throw new ConfigError(`${CBR_ENV.accessKey} is not set: AK/SK authentication needs both HW_ACCESS_KEY and HW_SECRET_KEY (${CBR_ENV.secretKey} is set).`);
    if (sk === undefined) throw new ConfigError(`${CBR_ENV.secretKey} is not set: AK/SK authentication needs both HW_ACCESS_KEY and HW_SECRET_KEY (${CBR_ENV.accessKey} is set).`);
    auth = akskAuth(ak, sk);
  } else if (tokenVars.some((v) => read(env, v) !== undefined)) {
    const missing = tokenVars.filter((v) => read(env, v) === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: token authentication needs ` +
        `${tokenVars.join(', ')} (IAM user name, password and account name). Or use AK/SK: set HW_ACCESS_KEY and HW_SECRET_KEY.`);
    }
    const authUrl = baseUrl(CBR_ENV.authUrl, read(env, CBR_ENV.authUrl) ?? `https://iam.${region}.myhuaweicloud.com/v3`);
    const projectName = read(env, CBR_ENV.projectName);
    auth = tokenAuth({
      userName: read(env, CBR_ENV.userName)!,
      password: read(env, CBR_ENV.password)!,
      domainName: read(env, CBR_ENV.domainName)!,
      authUrl,
      ...(projectName ? { projectName } : {}),
    });
  } else {
    throw new ConfigError('no Huawei Cloud credentials in the environment: set HW_ACCESS_KEY and HW_SECRET_KEY (AK/SK, recommended), ' +
      'or HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (token).');
  }

  const projectId = required(env, CBR_ENV.projectId,
    `CBR is a project-level service; set it to the project id of region ${region} (API reference 7.3 "Obtaining a Project ID").`);
  if (!/^[A-Za-z0-9_-]+$/.test(projectId)) {
    throw new ConfigError(`${CBR_ENV.projectId} must be a project id (letters, digits, "-" and "_"), got "${projectId}".`);
  }
  const endpoint = baseUrl(CBR_ENV.endpoint, read(env, CBR_ENV.endpoint) ?? `https://cbr.${region}.myhuaweicloud.com`);

  const config = { region, projectId, endpoint, auth };
  const view = () => ({ region, projectId, endpoint, auth: (auth as unknown as { toJSON(): unknown }).toJSON() });
  Object.defineProperty(config, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(config, inspect.custom, { value: () => view(), enumerable: false });
  Object.defineProperty(config, 'toString', { value: () => JSON.stringify(view()), enumerable: false });
  return Object.freeze(config);
}
