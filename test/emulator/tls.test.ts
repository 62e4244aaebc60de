import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { DEFAULT_CREDENTIALS, RunningEmulator, startEmulator } from '../../src/emulator';
import { CbrClient } from '../../src/runtime/cbr/client';
import { agentOptions, HttpTransport } from '../../src/runtime/http/transport';
import { readSettings } from '../../src/runtime/settings';

/** --tls: HTTPS with a throw-away CA generated at start. */

function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('TLS', () => {
  let dir: string;
  let emu: RunningEmulator;
  let caFile: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-tls-'));
    caFile = path.join(dir, 'ca.pem');
    emu = await startEmulator({ tls: true, tlsCertOut: caFile });
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves https on 127.0.0.1 with a certificate for 127.0.0.1 and localhost, signed by the CA written out', async () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = fs.readFileSync(caFile, 'utf8');
    expect(ca).toBe(emu.caCert);
    const x509 = new X509Certificate(ca);
    expect(x509.ca).toBe(true);
    const health = await get(`${emu.url}/_emulator/health`, ca);
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await get(`https://localhost:${emu.port}/_emulator/health`, ca)).status).toBe(200);
    expect((await get(`${emu.url}/_emulator/ca.pem`, ca)).body).toBe(ca);
  });

  test('is refused by a client that does not trust the CA', async () => {
    await expect(get(`${emu.url}/_emulator/health`)).rejects.toThrow(/self[- ]signed|unable to verify|unable to get local issuer/i);
  });

  test('the runtime client connects with CBR_CA_FILE', async () => {
    const dispatcher = new Agent(agentOptions(readSettings({ CBR_CA_FILE: caFile })));
    try {
      const client = new CbrClient({
        region: 'emulator-region-1',
        projectId: DEFAULT_CREDENTIALS.projectId,
        endpoint: emu.url,
        auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
      }, new HttpTransport({ dispatcher, maxAttempts: 1 }));
      expect((await client.listVaults()).count).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  test('plain emulators have no CA to hand out', async () => {
    const plain = await startEmulator({ hbr: false });
    try {
      expect(plain.url).toMatch(/^http:\/\//);
      expect(plain.caCert).toBeUndefined();
      const res = await fetch(`${plain.url}/_emulator/ca.pem`);
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
