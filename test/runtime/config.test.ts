import { inspect } from 'node:util';
import { ConfigError, loadCbrConfig } from '../../src/runtime/cbr/config';
import { Env, readSettings } from '../../src/runtime/settings';

/** The config of an environment, read as a hook reads it: the settings first. */
const configOf = (env: Env) => loadCbrConfig(readSettings(env));

const AKSK = { HW_ACCESS_KEY: 'AKIDEXAMPLE01', HW_SECRET_KEY: 'sk-very-secret-value', HW_REGION_NAME: 'ap-southeast-1', HW_PROJECT_ID: '0605767b5780d5762fc5c0118072a564' };
const TOKEN = { HW_USER_NAME: 'alice', HW_PASSWORD: 'pa55-word-secret', HW_DOMAIN_NAME: 'acme', HW_REGION_NAME: 'ap-southeast-1', HW_PROJECT_ID: 'p1' };

describe('loadCbrConfig', () => {
  test('reads AK/SK auth with the default regional endpoint', () => {
    const c = configOf(AKSK);
    expect(c.region).toBe('ap-southeast-1');
    expect(c.projectId).toBe(AKSK.HW_PROJECT_ID);
    expect(c.endpoint).toBe('https://cbr.ap-southeast-1.myhuaweicloud.com');
    expect(c.auth.kind).toBe('aksk');
    expect(c.auth.kind === 'aksk' && c.auth.secretKey).toBe('sk-very-secret-value');
  });

  test('takes HW_CBR_ENDPOINT without its trailing slash, and trims values', () => {
    const c = configOf({ ...AKSK, HW_CBR_ENDPOINT: 'http://127.0.0.1:8080/ ', HW_REGION_NAME: ' eu-west-0 ' });
    expect(c.endpoint).toBe('http://127.0.0.1:8080');
    expect(c.region).toBe('eu-west-0');
  });

  test('carries the order timing to the vault handler: CBR_ORDER_TIMEOUT_MS and CBR_ORDER_POLL_MS, else 10 min and 2 s', () => {
    expect(configOf({ ...AKSK, CBR_ORDER_TIMEOUT_MS: '300', CBR_ORDER_POLL_MS: '50' })).toMatchObject({ orderTimeoutMs: 300, orderPollMs: 50 });
    expect(configOf(AKSK)).toMatchObject({ orderTimeoutMs: 600_000, orderPollMs: 2_000 });
  });

  test('prefers AK/SK when both kinds of credentials are set', () => {
    expect(configOf({ ...TOKEN, ...AKSK }).auth.kind).toBe('aksk');
  });

  test('reads token auth with the default IAM URL', () => {
    const c = configOf(TOKEN);
    expect(c.auth).toMatchObject({ kind: 'token', userName: 'alice', domainName: 'acme', authUrl: 'https://iam.ap-southeast-1.myhuaweicloud.com/v3' });
    expect(c.auth.kind === 'token' && c.auth.password).toBe('pa55-word-secret');
  });

  test('takes HW_AUTH_URL and HW_PROJECT_NAME for token auth', () => {
    const c = configOf({ ...TOKEN, HW_AUTH_URL: 'http://127.0.0.1:9/v3/', HW_PROJECT_NAME: 'ap-southeast-1_dev' });
    expect(c.auth).toMatchObject({ authUrl: 'http://127.0.0.1:9/v3', projectName: 'ap-southeast-1_dev' });
  });

  test.each([
    [{ ...AKSK, HW_REGION_NAME: undefined }, /^HW_REGION_NAME is not set: set it to the region of the CBR vaults/],
    [{ ...AKSK, HW_REGION_NAME: '' }, /^HW_REGION_NAME is not set/],
    [{ ...AKSK, HW_REGION_NAME: 'cn north/1' }, /^HW_REGION_NAME must be a region id such as "ap-southeast-1", got "cn north\/1"/],
    [{ ...AKSK, HW_PROJECT_ID: undefined }, /^HW_PROJECT_ID is not set: CBR is a project-level service; set it to the project id of region ap-southeast-1/],
    [{ ...TOKEN, HW_PROJECT_ID: undefined }, /^HW_PROJECT_ID is not set/],
    [{ ...AKSK, HW_PROJECT_ID: '../x' }, /^HW_PROJECT_ID must be a project id/],
    [{ ...AKSK, HW_SECRET_KEY: undefined }, /^HW_SECRET_KEY is not set: AK\/SK authentication needs both HW_ACCESS_KEY and HW_SECRET_KEY/],
    [{ ...AKSK, HW_ACCESS_KEY: ' ' }, /^HW_ACCESS_KEY is not set/],
    [{ ...TOKEN, HW_PASSWORD: undefined }, /^HW_PASSWORD is not set: token authentication needs HW_USER_NAME, HW_PASSWORD, HW_DOMAIN_NAME/],
    [{ ...TOKEN, HW_PASSWORD: undefined, HW_DOMAIN_NAME: undefined }, /^HW_PASSWORD, HW_DOMAIN_NAME are not set/],
    [{ HW_REGION_NAME: 'r1', HW_PROJECT_ID: 'p' }, /^no Huawei Cloud credentials in the environment: set HW_ACCESS_KEY and HW_SECRET_KEY/],
    [{ ...AKSK, HW_CBR_ENDPOINT: 'cbr.example.com' }, /^HW_CBR_ENDPOINT must be an absolute http\(s\) URL, got "cbr.example.com"/],
    [{ ...AKSK, HW_CBR_ENDPOINT: 'ftp://cbr.example.com' }, /^HW_CBR_ENDPOINT must use https:\/\//],
    [{ ...AKSK, HW_CBR_ENDPOINT: 'https://u:p@cbr.example.com' }, /^HW_CBR_ENDPOINT must not contain credentials/],
    [{ ...TOKEN, HW_AUTH_URL: 'nope' }, /^HW_AUTH_URL must be an absolute http\(s\) URL/],
  ])('fails with a message naming the variable (%#)', (env, message) => {
    expect(() => configOf(env)).toThrow(ConfigError);
    expect(() => configOf(env)).toThrow(message);
  });

  test('reads what the settings read from process.env (only the edge passes process.env)', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, AKSK);
      expect(loadCbrConfig(readSettings(process.env)).projectId).toBe(AKSK.HW_PROJECT_ID);
    } finally {
      for (const k of Object.keys(AKSK)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('the config never prints its secrets', () => {
  const printers: Array<[string, (c: unknown) => string]> = [
    ['JSON.stringify', (c) => JSON.stringify(c)],
    ['util.inspect', (c) => inspect(c, { depth: 10, showHidden: false })],
    ['template string', (c) => `${c}`],
    ['Object.keys/values', (c) => JSON.stringify(Object.values((c as { auth: object }).auth))],
    ['spread', (c) => JSON.stringify({ ...(c as { auth: object }).auth })],
  ];

  test.each(printers)('fails to leak through %s (AK/SK)', (name, print) => {
    const out = print(configOf(AKSK));
    expect(out).not.toContain('sk-very-secret-value');
    // The access key is an identifier, not a secret: shortened when printed, plain when spread.
    if (!/keys|spread/.test(name)) expect(out).not.toContain('AKIDEXAMPLE01');
  });

  test.each(printers)('fails to leak through %s (token)', (_name, print) => {
    const out = print(configOf(TOKEN));
    expect(out).not.toContain('pa55-word-secret');
  });

  test('still shows what is useful for debugging', () => {
    expect(JSON.parse(JSON.stringify(configOf(AKSK)))).toEqual({
      region: 'ap-southeast-1',
      projectId: AKSK.HW_PROJECT_ID,
      endpoint: 'https://cbr.ap-southeast-1.myhuaweicloud.com',
      auth: { kind: 'aksk', accessKey: 'AKID...', secretKey: '<redacted>' },
    });
    expect(inspect(configOf(TOKEN))).toContain("password: '<redacted>'");
  });

  test('is frozen', () => {
    const c = configOf(AKSK);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.auth)).toBe(true);
  });
});

describe('loadCbrConfig of an object in another region', () => {
  const DR = { region: 'eu-west-101', projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' };
  const at = (env: Env, where: { region?: string; projectId?: string }) => loadCbrConfig(readSettings(env), where);

  test('takes the object\'s region and project, and its region\'s public endpoint', () => {
    expect(at(AKSK, DR)).toMatchObject({ region: 'eu-west-101', projectId: DR.projectId, endpoint: 'https://cbr.eu-west-101.myhuaweicloud.com' });
  });

  test('puts the region into HW_CBR_ENDPOINT where it says {region}', () => {
    const env = { ...AKSK, HW_CBR_ENDPOINT: 'https://cbr-vpc.{region}.example.com' };
    expect(at(env, DR).endpoint).toBe('https://cbr-vpc.eu-west-101.example.com');
    expect(at(env, {}).endpoint).toBe('https://cbr-vpc.ap-southeast-1.example.com');
  });

  test('a project alone is in the region of the terraform run', () => {
    expect(at(AKSK, { projectId: DR.projectId })).toMatchObject({ region: 'ap-southeast-1', projectId: DR.projectId });
  });

  test('fails when HW_CBR_ENDPOINT serves one region and an object is in another', () => {
    expect(() => at({ ...AKSK, HW_CBR_ENDPOINT: 'http://127.0.0.1:8080' }, DR)).toThrow(
      'HW_CBR_ENDPOINT (http://127.0.0.1:8080) is the endpoint of HW_REGION_NAME only, and an object is in region "eu-west-101"; ' +
      'put {region} where the region goes, e.g. HW_CBR_ENDPOINT=https://cbr.{region}.example.com.');
  });

  test('fails when an object of another region names no project: HW_PROJECT_ID is the project of HW_REGION_NAME', () => {
    expect(() => at(AKSK, { region: 'eu-west-101' })).toThrow(
      'region "eu-west-101" has no project id: HW_PROJECT_ID is the project of HW_REGION_NAME ("ap-southeast-1"); give projectId to the constructs of ' +
      'region "eu-west-101" (or CbrDefaults.set(scope, { region: \'eu-west-101\', projectId })); the console shows it under My Credentials > API Credentials ' +
      '(API reference 7.3 "Obtaining a Project ID").');
  });

  test('scopes a token by the object\'s project id; HW_PROJECT_NAME names only the project of HW_REGION_NAME', () => {
    const env = { ...TOKEN, HW_PROJECT_NAME: 'ap-southeast-1' };
    expect(at(env, DR)).toMatchObject({ projectId: DR.projectId, auth: { kind: 'token', authUrl: 'https://iam.ap-southeast-1.myhuaweicloud.com/v3' } });
    expect((at(env, DR).auth as any).projectName).toBeUndefined();
    expect((at(env, {}).auth as any).projectName).toBe('ap-southeast-1');
  });
});
