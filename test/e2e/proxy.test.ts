import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Vault, VaultObjectType } from '../../src';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { HbrClient } from '../../src/runtime/hbr/client';
import { closeSharedAgent, proxyOptions } from '../../src/runtime/http/transport';
import { Env, readSettings } from '../../src/runtime/settings';
import { E2eWorkspace } from '../support/e2e';
import { startTestProxy, TestProxy } from '../support/proxy';

jest.setTimeout(300_000);

const vault = (name: string) => (scope: Construct) => {
  new Vault(scope, 'V', { vaultName: name, objectType: VaultObjectType.SERVER, size: 100 });
};

/** The HBR calls of `env`, made in this process through the shared agent as the hook makes them. */
async function describeClients(env: Record<string, string>): Promise<number> {
  await closeSharedAgent();
  try {
    const client = HbrClient.fromSettings(readSettings({
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      ...env,
    }));
    return (await client.listAllBackupClients({ ClientType: 'ECS_CLIENT' })).length;
  } finally {
    await closeSharedAgent();
  }
}

describe('HTTP_PROXY, HTTPS_PROXY and NO_PROXY', () => {
  let proxy: TestProxy;
  beforeEach(async () => { proxy = await startTestProxy(); });
  afterEach(async () => { await proxy.close(); });

  test('are read like curl reads them', () => {
    const proxySettingsFromEnv = (env: Env) => proxyOptions(readSettings(env));
    expect(proxySettingsFromEnv({})).toBeUndefined();
    expect(proxySettingsFromEnv({ NO_PROXY: 'x' })).toBeUndefined();
    expect(proxySettingsFromEnv({ HTTP_PROXY: 'http://a:1', https_proxy: 'http://b:2', HTTPS_PROXY: 'http://c:3', no_proxy: '.corp' }))
      .toEqual({ httpProxy: 'http://a:1', httpsProxy: 'http://b:2', noProxy: '.corp' });
  });

  describe('over HTTP', () => {
    let ws: E2eWorkspace;
    beforeAll(async () => { ws = await E2eWorkspace.create('proxy'); });
    afterAll(async () => { await ws?.dispose(); });

    test('the hooks reach a CBR endpoint only the proxy can resolve, and send every request through it', async () => {
      const port = new URL(ws.emulator.url).port;
      await ws.synth(vault('via-proxy'));
      await ws.apply([], { HW_CBR_ENDPOINT: `http://cbr.corp.example:${port}`, HTTP_PROXY: proxy.url });
      expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['via-proxy']);
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests.every((r) => r.target.startsWith(`http://cbr.corp.example:${port}/v3/`))).toBe(true);
      expect(proxy.requests.map((r) => r.method)).toContain('POST');
    });

    test('NO_PROXY sends the hooks straight to the endpoint', async () => {
      await ws.synth(vault('direct'));
      await ws.apply([], { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
      // The same construct, renamed: one vault, found and renamed without the proxy.
      expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['direct']);
      expect(proxy.requests).toEqual([]);
    });

    test('HBR calls go through the proxy too', async () => {
      const port = new URL(ws.emulator.url).port;
      expect(await describeClients({ HBR_ENDPOINT: `http://hbr.corp.example:${port}`, HTTP_PROXY: proxy.url })).toBe(0);
      expect(proxy.requests.map((r) => r.target)).toEqual([expect.stringMatching(new RegExp(`^http://hbr\\.corp\\.example:${port}/\\?`))]);
    });
  });

  describe('over HTTPS, through a CONNECT tunnel with TLS verified end to end', () => {
    let ws: E2eWorkspace;
    let caFile: string;
    beforeAll(async () => {
      caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-proxy-ca-')), 'ca.pem');
      ws = await E2eWorkspace.create('proxy-tls', { emulatorArgs: ['--tls', '--tls-cert-out', caFile] });
    });
    afterAll(async () => {
      await ws?.dispose();
      fs.rmSync(path.dirname(caFile), { recursive: true, force: true });
    });

    test('the CBR hooks tunnel through the proxy', async () => {
      const { host } = new URL(ws.emulator.url);
      await ws.synth(vault('tunneled'));
      await ws.apply([], { HTTPS_PROXY: proxy.url, CBR_CA_FILE: caFile });
      expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['tunneled']);
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests.every((r) => r.method === 'CONNECT' && r.target === host)).toBe(true);
    });

    test('HBR calls tunnel through the proxy too', async () => {
      const { host } = new URL(ws.emulator.url);
      expect(await describeClients({ HBR_ENDPOINT: ws.emulator.url, HTTPS_PROXY: proxy.url, CBR_CA_FILE: caFile })).toBe(0);
      expect(proxy.requests).toEqual([{ method: 'CONNECT', target: host }]);
    });
  });
});
