import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT, TestEmulator } from './helpers';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { HbrClient } from '../../src/runtime/hbr/client';
import { loadHbrConfig } from '../../src/runtime/hbr/config';
import { HttpTransport } from '../../src/runtime/http/transport';
import { readSettings } from '../../src/runtime/settings';

/** The HBR emulator (src/emulator/hbr) mounted on the main emulator's port. */

function hbrClient(url: string): HbrClient {
  const config = loadHbrConfig(readSettings({
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
    HBR_ENDPOINT: url,
  }));
  return new HbrClient(config, new HttpTransport({ maxAttempts: 1 }));
}

describe('HBR on the main emulator', () => {
  let dir: string;
  let emu: TestEmulator;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-hbr-'));
  });
  afterEach(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves RPC calls at /?Action=... and its admin API at /_emulator/hbr, next to CBR', async () => {
    const stateFile = path.join(dir, 'state.json');
    emu = await TestEmulator.start({ stateFile, hbr: { config: { instances: [{ instanceId: 'i-1' }] } } });
    const state = await fetch(`${emu.url}/_emulator/hbr/state`);
    expect(state.status).toBe(200);
    expect(((await state.json()) as any).instances[0].instanceId).toBe('i-1');
    const res = await hbrClient(emu.url).describeBackupClients({ ClientType: 'ECS_CLIENT', PageNumber: 1, PageSize: 10 });
    expect(res.Success).toBe(true);
    // CBR is still there, and its own admin API too.
    expect((await emu.call('GET', `/v3/${PROJECT}/vaults`)).status).toBe(200);
    expect((await emu.adminCall('GET', '/_emulator/health')).status).toBe(200);
    // HBR state lives next to the CBR state file.
    await fetch(`${emu.url}/_emulator/hbr/max-client-version`, { method: 'POST', body: JSON.stringify({ version: '2.12.0' }) });
    expect(fs.existsSync(`${stateFile}.hbr.json`)).toBe(true);
  });

  test('HBR calls are not faulted, and do not enter the CBR request log', async () => {
    emu = await TestEmulator.start({ faults: { errorRate: 1 }, hbr: { config: {} } });
    const res = await hbrClient(emu.url).describeBackupClients({ ClientType: 'ECS_CLIENT', PageNumber: 1, PageSize: 10 });
    expect(res.Success).toBe(true);
    expect(await emu.admin('GET', '/_emulator/requests')).toEqual([]);
  });

  test('a request that is neither CBR nor HBR answers APIGW.0101', async () => {
    emu = await TestEmulator.start({ hbr: false });
    const res = await fetch(`${emu.url}/?Action=DescribeTask`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error_code).toBe('APIGW.0101');
  });
});
