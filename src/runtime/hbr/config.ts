import { ConfigError, printable, REDACTED, redactKey, regionalEndpoint, Settings, SETTINGS } from '../settings';

/**
 * HBR connection settings, from the settings read at the edge out of the environment of the
 * `terraform` process at apply time. Credentials never come from the spec, the synthesized JSON
 * or the Terraform state.
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

/** UpgradeBackupClients: "The timeout period of an asynchronous job is 15 minutes." (the table's default) */
export const DEFAULT_TASK_TIMEOUT_MS = SETTINGS.hbrTaskTimeoutMs.default;
export const DEFAULT_TASK_POLL_MS = SETTINGS.hbrTaskPollMs.default;

/**
 * The HBR config of these settings: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
 * (both required), the region from HBR_REGION_ID or ALIBABA_CLOUD_REGION_ID (HBR_REGION_ID wins),
 * the endpoint from HBR_ENDPOINT or `https://hbr.{region}.aliyuncs.com`, and the task timeout and
 * poll interval (HBR_TASK_TIMEOUT_MS, HBR_TASK_POLL_MS). The settings have checked each value's form.
 */
export function loadHbrConfig(settings: Settings, at: { readonly region?: string } = {}): HbrConfig {
  const accessKeyId = settings.alibabaAccessKeyId;
  const accessKeySecret = settings.alibabaAccessKeySecret;
  if (accessKeyId === undefined && accessKeySecret === undefined) {
    throw new ConfigError('no Alibaba Cloud credentials in the environment: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET ' +
      '(an AccessKey pair of a RAM user allowed to call HBR).');
  }
  if (accessKeyId === undefined) throw new ConfigError('ALIBABA_CLOUD_ACCESS_KEY_ID is not set (ALIBABA_CLOUD_ACCESS_KEY_SECRET is): set both.');
  if (accessKeySecret === undefined) throw new ConfigError('ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set (ALIBABA_CLOUD_ACCESS_KEY_ID is): set both.');

  const home = settings.hbrRegionId ?? settings.alibabaRegionId;
  // A client's own region (BackupClient `region`), else the terraform run's.
  const region = at.region || home;
  if (settings.hbrEndpoint === undefined && region === undefined) {
    throw new ConfigError('ALIBABA_CLOUD_REGION_ID (or HBR_REGION_ID) is not set: set it to the region of the ECS instances, ' +
      'e.g. ALIBABA_CLOUD_REGION_ID=cn-hangzhou, or set HBR_ENDPOINT.');
  }
  const endpoint = regionalEndpoint('HBR_ENDPOINT', settings.hbrEndpoint, { region, atHome: region === home },
    { home: 'the terraform run\'s region', object: 'a client' }, (r) => `https://hbr.${r}.aliyuncs.com`);
  const securityToken = settings.alibabaSecurityToken;
  const taskTimeoutMs = settings.hbrTaskTimeoutMs;
  const taskPollMs = settings.hbrTaskPollMs;

  const config: HbrConfig = {
    ...(region !== undefined ? { region } : {}),
    endpoint,
    accessKeyId,
    accessKeySecret,
    taskTimeoutMs,
    taskPollMs,
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
  Object.defineProperty(config, 'accessKeySecret', { enumerable: false });
  if (securityToken !== undefined) Object.defineProperty(config, 'securityToken', { enumerable: false });
  return printable(config, () => ({
    region,
    endpoint,
    accessKeyId: redactKey(accessKeyId),
    accessKeySecret: REDACTED,
    ...(securityToken !== undefined ? { securityToken: REDACTED } : {}),
    taskTimeoutMs,
    taskPollMs,
  }));
}
