import type { Place } from '../../rules/location';
import { ConfigError, printable, REDACTED, redactKey, regionalEndpoint, Settings } from '../settings';

export { ConfigError } from '../settings';

/**
 * CBR connection settings, from the settings read at the edge out of the environment of the
 * `terraform` process at apply time. Credentials never come from the spec, the synthesized JSON
 * or the Terraform state.
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

/** Where a CBR object lives, as its spec says; unset: the region and project of the terraform run. */
export type CbrLocation = Place;

/** The key of a location among a process's clients; resolve it first (a config), or '' and a region's id name one place twice. */
export function locationKey(at: CbrLocation = {}): string {
  return `${at.region ?? ''}\0${at.projectId ?? ''}`;
}

/** Where a spec's object lives ('' in a spec: the terraform run's region or project). */
export function locationOf(spec: unknown): CbrLocation {
  const s = (spec ?? {}) as { region?: string; project_id?: string };
  return { ...(s.region ? { region: s.region } : {}), ...(s.project_id ? { projectId: s.project_id } : {}) };
}

export interface CbrConfig {
  readonly region: string;
  readonly projectId: string;
  /** Base URL without trailing slash, e.g. `https://cbr.ap-southeast-1.myhuaweicloud.com`. */
  readonly endpoint: string;
  readonly auth: CbrAuth;
  /** How long a yearly/monthly order is waited for (CBR_ORDER_TIMEOUT_MS); a config built by hand has the table's default. */
  readonly orderTimeoutMs?: number;
  /** How often an ordered vault is looked for (CBR_ORDER_POLL_MS). */
  readonly orderPollMs?: number;
}

/** Makes the secret field non-enumerable and the object print as `view()` everywhere. */
function protect<T extends object>(obj: T, secretField: keyof T, view: () => Record<string, unknown>): T {
  Object.defineProperty(obj, secretField, { enumerable: false });
  return printable(obj, view);
}

function akskAuth(accessKey: string, secretKey: string): AkSkAuth {
  const auth = { kind: 'aksk' as const, accessKey, secretKey };
  return protect(auth, 'secretKey', () => ({ kind: 'aksk', accessKey: redactKey(accessKey), secretKey: REDACTED }));
}

function tokenAuth(fields: Omit<TokenAuth, 'kind'>): TokenAuth {
  const auth: TokenAuth = { kind: 'token', ...fields };
  return protect(auth, 'password', () => ({ ...auth, password: REDACTED }));
}

function notAtHome(problem: string, fix: string): never {
  throw new ConfigError(`${problem}; ${fix}.`);
}

function required(value: string | undefined, name: string, why: string): string {
  if (value === undefined) throw new ConfigError(`${name} is not set: ${why}`);
  return value;
}

/**
 * The CBR config of these settings for objects `at` a region and project. AK/SK auth when
 * HW_ACCESS_KEY or HW_SECRET_KEY is set (the default), otherwise token auth from HW_USER_NAME,
 * HW_PASSWORD and HW_DOMAIN_NAME, the token scoped to that project. HW_REGION_NAME and
 * HW_PROJECT_ID are the region and project of objects that name none; HW_CBR_ENDPOINT with
 * `{region}` in it serves every region. The settings have checked each value's form; this checks
 * what a CBR hook needs together.
 */
export function loadCbrConfig(settings: Settings, at: CbrLocation = {}): CbrConfig {
  const home = settings.hwRegionName;
  const region = at.region || required(home, 'HW_REGION_NAME',
    'set it to the region of the CBR vaults, e.g. HW_REGION_NAME=ap-southeast-1.');
  const atHome = region === home;

  const ak = settings.hwAccessKey;
  const sk = settings.hwSecretKey;
  const token: Record<string, string | undefined> = {
    HW_USER_NAME: settings.hwUserName,
    HW_PASSWORD: settings.hwPassword,
    HW_DOMAIN_NAME: settings.hwDomainName,
  };
  const tokenVars = Object.keys(token);
  let auth: CbrAuth;
  if (ak !== undefined || sk !== undefined) {
    if (ak === undefined) throw new ConfigError('HW_ACCESS_KEY is not set: AK/SK authentication needs both HW_ACCESS_KEY and HW_SECRET_KEY (HW_SECRET_KEY is set).');
    if (sk === undefined) throw new ConfigError('HW_SECRET_KEY is not set: AK/SK authentication needs both HW_ACCESS_KEY and HW_SECRET_KEY (HW_ACCESS_KEY is set).');
    auth = akskAuth(ak, sk);
  } else if (tokenVars.some((v) => token[v] !== undefined)) {
    const missing = tokenVars.filter((v) => token[v] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: token authentication needs ` +
        `${tokenVars.join(', ')} (IAM user name, password and account name). Or use AK/SK: set HW_ACCESS_KEY and HW_SECRET_KEY.`);
    }
    // HW_PROJECT_NAME names the project of HW_REGION_NAME; a project given by the spec scopes its token by id.
    const projectName = atHome && !at.projectId ? settings.hwProjectName : undefined;
    auth = tokenAuth({
      userName: settings.hwUserName!,
      password: settings.hwPassword!,
      domainName: settings.hwDomainName!,
      authUrl: settings.hwAuthUrl ?? `https://iam.${home ?? region}.myhuaweicloud.com/v3`,
      ...(projectName ? { projectName } : {}),
    });
  } else {
    throw new ConfigError('no Huawei Cloud credentials in the environment: set HW_ACCESS_KEY and HW_SECRET_KEY (AK/SK, recommended), ' +
      'or HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (token).');
  }

  const projectId = at.projectId || (atHome
    ? required(settings.hwProjectId, 'HW_PROJECT_ID',
      `CBR is a project-level service; set it to the project id of region ${region} (API reference 7.3 "Obtaining a Project ID").`)
    : notAtHome(`region "${region}" has no project id: HW_PROJECT_ID is the project of HW_REGION_NAME ("${home}")`,
      `give projectId to the constructs of region "${region}" (or CbrDefaults.set(scope, { region: '${region}', projectId })); ` +
      'the console shows it under My Credentials > API Credentials (API reference 7.3 "Obtaining a Project ID")'));
  const endpoint = regionalEndpoint('HW_CBR_ENDPOINT', settings.hwCbrEndpoint, { region, atHome }, { home: 'HW_REGION_NAME', object: 'an object' },
    (r) => `https://cbr.${r}.myhuaweicloud.com`);

  const config: CbrConfig = { region, projectId, endpoint, auth, orderTimeoutMs: settings.cbrOrderTimeoutMs, orderPollMs: settings.cbrOrderPollMs };
  return printable(config, () => ({ region, projectId, endpoint, auth: (auth as unknown as { toJSON(): unknown }).toJSON() }));
}
