import { inspect } from 'node:util';
import { ConfigError } from '../cbr/config';

/**
 * HBR connection settings, read from the environment of the `terraform` process at apply time.
 * Credentials never come from the spec, the synthesized JSON or the Terraform state.
 */
export interface HbrConfig {
  /** The region id, e.g. cn-hangzhou; undefined when only HBR_ENDPOINT is set. */
  readonly region?: string;
  /** Base URL without trailing slash, e.g. `https://hbr.cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  /** Non-enumerable, and redacted by toJSON/inspect. */
  readonly accessKeySecret: string;
  /** STS token (ALIBABA_CLOUD_SECURITY_TOKEN); non-enumerable. */
  readonly securityToken?: string;
  /** How long to wait for an asynchronous job (DescribeTask) before failing. */
  readonly taskTimeoutMs: number;
  /** How often to poll DescribeTask. */
  readonly taskPollMs: number;
}

export const HBR_ENV = {
  accessKeyId: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
  accessKeySecret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  securityToken: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  region: 'ALIBABA_CLOUD_REGION_ID',
  hbrRegion: 'HBR_REGION_ID',
  endpoint: 'HBR_ENDPOINT',
  taskTimeoutMs: 'HBR_TASK_TIMEOUT_MS',
  taskPollMs: 'HBR_TASK_POLL_MS',
} as const;

/** UpgradeBackupClients: "The timeout period of an asynchronous job is 15 minutes." */
export const DEFAULT_TASK_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_TASK_POLL_MS = 5_000;

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`${name} must be a positive whole number of milliseconds, got "${raw}". Unset it to use the default (${fallback}).`);
  }
  return Number(raw);
}

function endpointUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${HBR_ENV.endpoint} must be an absolute http(s) URL, got "${raw}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${HBR_ENV.endpoint} must use https:// (or http:// for a local emulator), got "${raw}".`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${HBR_ENV.endpoint} must not contain credentials, a query or a fragment; set only scheme, host and port.`);
  }
  return raw.replace(/\/+$/, '');
}

function redactKey(key: string): string {
  return key.length <= 4 ? '<redacted>' : `${key.slice(0, 4)}...`;
}

/**
 * Reads the HBR settings: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (both
 * required), the region from HBR_REGION_ID or ALIBABA_CLOUD_REGION_ID (HBR_REGION_ID wins), the
 * endpoint from HBR_ENDPOINT or `https://hbr.{region}.aliyuncs.com`, and the task timeout and poll
 * interval from HBR_TASK_TIMEOUT_MS (default 15 minutes) and HBR_TASK_POLL_MS (default 5 s).
 */
export function loadHbrConfig(env: Env = process.env): HbrConfig {
  const accessKeyId = read(env, HBR_ENV.accessKeyId);
  const accessKeySecret = read(env, HBR_ENV.accessKeySecret);
  if (accessKeyId === undefined && accessKeySecret === undefined) {
    throw new ConfigError(`no Alibaba Cloud credentials in the environment: set ${HBR_ENV.accessKeyId} and ${HBR_ENV.accessKeySecret} ` +
      '(an AccessKey pair of a RAM user allowed to call HBR).');
  }
  if (accessKeyId === undefined) throw new ConfigError(`${HBR_ENV.accessKeyId} is not set (${HBR_ENV.accessKeySecret} is): set both.`);
  if (accessKeySecret === undefined) throw new ConfigError(`${HBR_ENV.accessKeySecret} is not set (${HBR_ENV.accessKeyId} is): set both.`);

  const region = read(env, HBR_ENV.hbrRegion) ?? read(env, HBR_ENV.region);
  if (region !== undefined && !/^[a-z0-9][a-z0-9-]*[a-z0-9]$/i.test(region)) {
    throw new ConfigError(`${read(env, HBR_ENV.hbrRegion) ? HBR_ENV.hbrRegion : HBR_ENV.region} must be a region id such as "cn-hangzhou", got "${region}".`);
  }
  const rawEndpoint = read(env, HBR_ENV.endpoint);
  if (rawEndpoint === undefined && region === undefined) {
    throw new ConfigError(`${HBR_ENV.region} (or ${HBR_ENV.hbrRegion}) is not set: set it to the region of the ECS instances, ` +
      `e.g. ${HBR_ENV.region}=cn-hangzhou, or set ${HBR_ENV.endpoint}.`);
  }
  const endpoint = endpointUrl(rawEndpoint ?? `https://hbr.${region}.aliyuncs.com`);
  const securityToken = read(env, HBR_ENV.securityToken);
  const taskTimeoutMs = positiveInt(env, HBR_ENV.taskTimeoutMs, DEFAULT_TASK_TIMEOUT_MS);
  const taskPollMs = positiveInt(env, HBR_ENV.taskPollMs, DEFAULT_TASK_POLL_MS);

  const config: HbrConfig = {
    ...(region !== undefined ? { region } : {}),
    endpoint,
    accessKeyId,
    accessKeySecret,
    taskTimeoutMs,
    taskPollMs,
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
  const view = () => ({
    region,
    endpoint,
    accessKeyId: redactKey(accessKeyId),
    accessKeySecret: '<redacted>',
    ...(securityToken !== undefined ? { securityToken: '<redacted>' } : {}),
    taskTimeoutMs,
    taskPollMs,
  });
  Object.defineProperty(config, 'accessKeySecret', { enumerable: false });
  if (securityToken !== undefined) Object.defineProperty(config, 'securityToken', { enumerable: false });
  Object.defineProperty(config, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(config, inspect.custom, { value: () => view(), enumerable: false });
  Object.defineProperty(config, 'toString', { value: () => JSON.stringify(view()), enumerable: false });
  return Object.freeze(config);
}
