import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { main } from '../../src/runtime/cli';
import { executeHook, HookClients } from '../../src/runtime/hook';
import { ConfigError, readSettings, SettingSpec, SETTINGS } from '../../src/runtime/settings';
import { runHookProcess } from '../support/hook-process';

const TABLE = Object.entries(SETTINGS) as Array<[keyof typeof SETTINGS, SettingSpec]>;
const INTEGERS = TABLE.filter(([, s]) => s.kind === 'integer');

describe('readSettings', () => {
  test('gives every unset variable its default, or undefined', () => {
    const s = readSettings({});
    const defaults = { httpTimeoutMs: 30_000, httpMaxAttempts: 6, httpBudgetMs: 120_000, cbrOrderTimeoutMs: 600_000, cbrOrderPollMs: 2_000 };
    expect(s).toMatchObject(defaults);
    const more = { hbrTaskTimeoutMs: 900_000, hbrTaskPollMs: 5_000, hookRunner: true, hookRunnerIdleMs: 5_000, testDelay: [], terraformBin: 'terraform' };
    expect(s).toMatchObject(more);
    expect(s.hwRegionName).toBeUndefined();
    expect(s.hwCbrEndpoint).toBeUndefined();
    expect(s.spec).toBeUndefined();
  });

  test('trims values, takes an empty one as unset, and keeps `text` verbatim', () => {
    const s = readSettings({ HW_REGION_NAME: ' eu-west-0 ', CBR_HTTP_TIMEOUT_MS: ' 500 ', HW_PROJECT_ID: '', CBR_KEY: ' K ', CBR_SPEC: ' {} ' });
    expect([s.hwRegionName, s.httpTimeoutMs, s.hwProjectId, s.key, s.spec]).toEqual(['eu-west-0', 500, undefined, ' K ', ' {} ']);
  });

  test('reads each proxy variable lower-case first, as curl does', () => {
    const s = readSettings({ HTTP_PROXY: 'http://a:1', https_proxy: 'http://b:2', HTTPS_PROXY: 'http://c:3', no_proxy: '.corp' });
    expect([s.httpProxy, s.httpsProxy, s.noProxy]).toEqual(['http://a:1', 'http://b:2', '.corp']);
  });

  test('drops trailing slashes from URLs', () => {
    expect(readSettings({ HW_CBR_ENDPOINT: 'http://127.0.0.1:8080//', HBR_ENDPOINT: 'https://hbr.example/' })).toMatchObject({
      hwCbrEndpoint: 'http://127.0.0.1:8080', hbrEndpoint: 'https://hbr.example',
    });
  });

  test.each(['on', 'ON', 'true', '1', 'yes', 'off', 'OFF', 'false', '0', 'no'])('reads CBR_HOOK_RUNNER=%s', (v) => {
    expect(readSettings({ CBR_HOOK_RUNNER: v }).hookRunner).toBe(/^(on|true|1|yes)$/i.test(v));
  });

  test('reads CBR_TEST_DELAY rules', () => {
    expect(readSettings({ CBR_TEST_DELAY: 'delete:association:1500, apply:vault:10,' }).testDelay).toEqual([
      { action: 'delete', kind: 'association', ms: 1500 }, { action: 'apply', kind: 'vault', ms: 10 },
    ]);
  });

  test('is frozen', () => {
    expect(Object.isFrozen(readSettings({}))).toBe(true);
  });
});

describe('a bad value is one error naming the variable, the value and what is expected', () => {
  // Before the settings, orderTiming (CBR_ORDER_*) and the runner (CBR_HOOK_RUNNER_IDLE_MS) silently
  // used their defaults for such values; every integer now fails alike.
  test.each(INTEGERS.flatMap(([, s]) => ['abc', '0', '-5', '1.5', '10s'].map((v) => [s.env, v, s.default])))('%s=%j', (name, value, fallback) => {
    const read = () => readSettings({ [name as string]: value as string });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`${name} must be a positive whole number, got ${JSON.stringify(value)}. Unset it to use the default (${fallback}).`);
  });

  test('CBR_ORDER_POLL_MS=abc, exactly', () => {
    expect(() => readSettings({ CBR_ORDER_POLL_MS: 'abc' })).toThrow(
      new ConfigError('CBR_ORDER_POLL_MS must be a positive whole number, got "abc". Unset it to use the default (2000).'));
  });

  test('a time longer than Node.js can wait', () => {
    expect(() => readSettings({ CBR_HOOK_RUNNER_IDLE_MS: '2147483648' })).toThrow(
      'CBR_HOOK_RUNNER_IDLE_MS must be at most 2147483647, got "2147483648". Unset it to use the default (5000).');
  });

  test.each([
    [{ HW_REGION_NAME: 'cn north/1' }, 'HW_REGION_NAME must be a region id such as "ap-southeast-1", got "cn north/1".'],
    [{ HBR_REGION_ID: 'cn hangzhou' }, 'HBR_REGION_ID must be a region id such as "cn-hangzhou", got "cn hangzhou".'],
    [{ HW_PROJECT_ID: '../x' }, 'HW_PROJECT_ID must be a project id (letters, digits, "-" and "_"), got "../x".'],
    [{ HW_AUTH_URL: 'nope' }, 'HW_AUTH_URL must be an absolute http(s) URL, got "nope".'],
    [{ HBR_ENDPOINT: 'ftp://x' }, 'HBR_ENDPOINT must use https:// (or http:// for a local emulator), got "ftp://x".'],
    [{ CBR_HOOK_RUNNER: 'maybe' }, 'CBR_HOOK_RUNNER must be on or off, got "maybe". Unset it to use the default (on).'],
    [{ CBR_TEST_DELAY: 'delete:association' }, 'CBR_TEST_DELAY must be rules such as "delete:association:1500" separated by commas, each of 1 to 60000 ms, got "delete:association".'],
  ])('%j', (env, message) => {
    expect(() => readSettings(env)).toThrow(new ConfigError(message));
  });

  test('never shows a URL\'s credentials', () => {
    const read = () => readSettings({ HW_CBR_ENDPOINT: 'https://user:pa55word@cbr.example' });
    expect(read).toThrow('HW_CBR_ENDPOINT must not contain credentials, a query or a fragment; set only scheme, host, port and path.');
    expect(read).not.toThrow(/pa55word/);
  });
});

describe('secrets', () => {
  const SECRETS = { HW_SECRET_KEY: 'sk-settings-secret', HW_PASSWORD: 'pw-settings-secret', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ali-settings-secret', HTTPS_PROXY: 'http://u:proxy-settings-secret@proxy:3128' };

  test('are kinds that never print: not in JSON, inspect, template strings or enumeration', () => {
    const s = readSettings({ ...SECRETS, HW_REGION_NAME: 'r1' });
    for (const text of [JSON.stringify(s), inspect(s, { depth: 5 }), `${s}`, JSON.stringify(Object.values(s)), JSON.stringify({ ...s })]) {
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(s))).toMatchObject({ hwSecretKey: '<redacted>', hwRegionName: 'r1' });
    expect([s.hwSecretKey, s.hwPassword, s.alibabaAccessKeySecret]).toEqual(['sk-settings-secret', 'pw-settings-secret', 'ali-settings-secret']);
  });

  test('every credential is a secret', () => {
    for (const name of ['HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_PASSWORD', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN']) {
      expect(TABLE.find(([, s]) => s.env === name)?.[1].kind).toBe('secret');
    }
  });
});

describe('the edges', () => {
  const NO_CLIENTS: HookClients = {
    cbr: () => { throw new Error('no CBR client may be built'); },
    hbr: () => { throw new Error('no HBR client may be built'); },
  };

  test('executeHook reports a bad setting as the hook\'s one failure line', async () => {
    const err: string[] = [];
    const env = { CBR_SPEC: '{}', CBR_ORDER_POLL_MS: 'abc' };
    const code = await executeHook(['apply', 'vault', 'K'], { env, clients: NO_CLIENTS }, { out: () => undefined, err: (l) => err.push(l) });
    expect({ code, err }).toEqual({ code: 1, err: ['vault K: FAILED: CBR_ORDER_POLL_MS must be a positive whole number, got "abc". Unset it to use the default (2000).'] });
  });

  test('the bundled hook fails the same way, in its own process, before any runner', async () => {
    const run = await runHookProcess({ PATH: process.env.PATH, CBR_SPEC: '{}', CBR_HOOK_RUNNER_IDLE_MS: '0' }, ['apply', 'vault', 'K']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'vault K: FAILED: CBR_HOOK_RUNNER_IDLE_MS must be a positive whole number, got "0". Unset it to use the default (5000).\n' });
  });

  test('the command line says which variable is wrong', async () => {
    let err = '';
    const code = await main(['plan', '--plan-json', '/nonexistent/plan.json'], { out: () => undefined, err: (t) => { err += t; }, env: { CBR_HTTP_TIMEOUT_MS: '30s' } });
    expect({ code, err }).toEqual({ code: 1, err: 'cdktf-cbr plan: CBR_HTTP_TIMEOUT_MS must be a positive whole number, got "30s". Unset it to use the default (30000).\n' });
  });
});

describe('the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Za-z_]+)`(?: \(or `[a-z_]+`\))? \| (\w+) \| ([^|]*) \|/gm)].map((m) => ({ name: m[1], kind: m[2], fallback: m[3].trim() }));

  test('lists every variable of the table, in its order, with its kind and default', () => {
    const documented = (s: SettingSpec) => {
      if (s.derived) return `\`${s.derived}\``;
      if (s.default === undefined) return '—';
      return `\`${s.default === true ? 'on' : s.default === false ? 'off' : s.default}\``;
    };
    expect(rows.map((r) => ({ ...r, fallback: r.fallback.split(' ')[0] }))).toEqual(
      TABLE.map(([, s]) => ({ name: s.env, kind: s.kind, fallback: documented(s) })));
  });
});
