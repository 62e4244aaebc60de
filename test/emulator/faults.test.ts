import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMPTY_STATE, PROJECT, TestEmulator } from './helpers';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { faultOptionsFromArgs, parseArgs } from '../../src/emulator/cli';
import { FaultInjector } from '../../src/emulator/faults';
import { CbrClient } from '../../src/runtime/cbr/client';
import { HttpTransport } from '../../src/runtime/http/transport';

/** Issue 6: injected faults for /v3 calls. */

const VAULTS = `/v3/${PROJECT}/vaults`;
const VAULT = {
  vault: {
    name: 'v',
    billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40 },
    resources: [],
  },
};

describe('fault injection', () => {
  let emu: TestEmulator;
  afterEach(() => emu?.close());

  async function faults(body: unknown) {
    const res = await emu.adminCall('POST', '/_emulator/faults', body);
    expect(res.status).toBe(200);
    return res.body;
  }
  const log = () => emu.admin('GET', '/_emulator/requests');

  test('error rate: 500 or 503 answers, not handled, marked in the request log', async () => {
    emu = await TestEmulator.start({ faults: { errorRate: 1, seed: 1 } });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const res = await emu.call('POST', VAULTS, { body: VAULT });
      statuses.add(res.status);
      expect(res.body).toEqual({ error_code: 'BackupService.9910', error_msg: `Unknown error. (injected fault: HTTP ${res.status})` });
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    expect((await emu.admin('GET', '/_emulator/state')).vaults).toEqual([]);
    const entries = await log();
    expect(entries).toHaveLength(12);
    expect(entries[0]).toMatchObject({ method: 'POST', path: VAULTS, fault: 'error', errorCode: 'BackupService.9910' });
    // Only the statuses configured.
    await faults({ errorRate: 1, errorStatuses: [502] });
    expect((await emu.call('GET', VAULTS)).status).toBe(502);
  });

  test('throttle rate: 429 with Retry-After in seconds', async () => {
    emu = await TestEmulator.start({ faults: { throttleRate: 1, retryAfterSeconds: 7 } });
    const res = await emu.call('GET', VAULTS);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toEqual({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:XX,time:1 second' });
    expect((await log())[0]).toMatchObject({ status: 429, fault: 'throttle', errorCode: 'APIG.0308' });
  });

  test('latency: fixed, plus jitter, recorded in the log', async () => {
    emu = await TestEmulator.start({ faults: { latencyMs: 150 } });
    const start = Date.now();
    expect((await emu.call('GET', VAULTS)).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    await faults({ latencyMs: 10, latencyJitterMs: 50, seed: 'jitter' });
    for (let i = 0; i < 5; i++) await emu.call('GET', VAULTS);
    const latencies = (await log()).slice(1).map((e: any) => e.latencyMs);
    expect(latencies).toHaveLength(5);
    for (const l of latencies) {
      expect(l).toBeGreaterThanOrEqual(10);
      expect(l).toBeLessThan(60);
    }
    expect(new Set(latencies).size).toBeGreaterThan(1);
    expect((await log())[0]).toMatchObject({ status: 200, latencyMs: 150 });
    expect((await log())[0].fault).toBeUndefined();
  });

  test('reset rate: the connection is dropped before the request is handled', async () => {
    emu = await TestEmulator.start({ faults: { resetRate: 1 } });
    await expect(emu.call('POST', VAULTS, { body: VAULT })).rejects.toThrow();
    expect((await emu.admin('GET', '/_emulator/state')).vaults).toEqual([]);
    expect(await log()).toEqual([expect.objectContaining({ method: 'POST', status: 0, fault: 'reset' })]);
  });

  test('lost response: the write is applied and persisted, then the connection closes unanswered', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-faults-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      emu = await TestEmulator.start({ stateFile, faults: { lostResponseRate: 1 } });
      await expect(emu.call('POST', VAULTS, { body: VAULT })).rejects.toThrow();
      const [vault] = (await emu.admin('GET', '/_emulator/state')).vaults;
      expect(vault.name).toBe('v');
      expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).vaults.map((v: any) => v.id)).toEqual([vault.id]);
      expect(await log()).toEqual([expect.objectContaining({ method: 'POST', status: 200, fault: 'lost-response' })]);
      // Reads are answered: a client can look the vault up before posting again.
      const listed = await emu.call('GET', VAULTS, { query: { name: 'v' } });
      expect(listed.body.vaults.map((v: any) => v.id)).toEqual([vault.id]);
      // A blind retry of 4.5.1 creates a second vault: creation is not idempotent.
      await expect(emu.call('POST', VAULTS, { body: VAULT })).rejects.toThrow();
      expect((await emu.admin('GET', '/_emulator/state')).vaults).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('admin calls are never faulted', async () => {
    emu = await TestEmulator.start({ faults: { errorRate: 1, resetRate: 1, throttleRate: 1, lostResponseRate: 1 } });
    expect((await emu.adminCall('GET', '/_emulator/health')).status).toBe(200);
    expect((await emu.adminCall('GET', '/_emulator/state')).status).toBe(200);
    expect((await emu.adminCall('POST', '/_emulator/reset')).status).toBe(204);
    expect(await log()).toEqual([]);
  });

  test('a seed makes the faults reproducible', async () => {
    emu = await TestEmulator.start();
    const run = async () => {
      await faults({ errorRate: 0.3, throttleRate: 0.2, latencyJitterMs: 5, seed: 42 });
      await emu.adminCall('DELETE', '/_emulator/requests');
      for (let i = 0; i < 20; i++) await emu.call('GET', VAULTS);
      return (await log()).map((e: any) => `${e.status}/${e.fault ?? '-'}/${e.latencyMs ?? 0}`);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(2);
    // The same seed in two injectors gives the same decisions.
    const a = new FaultInjector({ errorRate: 0.5, seed: 'x' });
    const b = new FaultInjector({ errorRate: 0.5, seed: 'x' });
    const decisions = (f: FaultInjector) => Array.from({ length: 30 }, () => f.decide('POST'));
    expect(decisions(a)).toEqual(decisions(b));
  });

  test('the settings are read and replaced at run time, and bad ones are refused', async () => {
    emu = await TestEmulator.start({ faults: { errorRate: 0.5 } });
    expect(await emu.admin('GET', '/_emulator/faults')).toEqual({ ...EMPTY_STATE.faults, errorRate: 0.5 });
    expect(await faults({ throttleRate: 0.25, retryAfterSeconds: 3 })).toEqual({ ...EMPTY_STATE.faults, throttleRate: 0.25, retryAfterSeconds: 3 });
    expect((await emu.admin('GET', '/_emulator/state')).faults.throttleRate).toBe(0.25);
    const bad: Array<[unknown, string]> = [
      [{ errorRate: 1.5 }, 'errorRate must be a number from 0 to 1, got 1.5'],
      [{ latencyMs: -1 }, 'latencyMs must be a whole number of at least 0, got -1'],
      [{ errorStatuses: [404] }, 'errorStatuses must be a non-empty list of 5xx statuses, got [404]'],
      [{ dropRate: 1 }, 'dropRate is not a fault setting (errorRate, throttleRate, resetRate, lostResponseRate, errorStatuses, retryAfterSeconds, latencyMs, latencyJitterMs, seed)'],
      [[], 'fault settings must be a JSON object'],
    ];
    for (const [body, msg] of bad) {
      const res = await emu.adminCall('POST', '/_emulator/faults', body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error_code: 'BackupService.9900', error_msg: `Parameter verification failed. ${msg}` } });
    }
    const notJson = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await emu.adminCall('DELETE', '/_emulator/faults')).body).toEqual(EMPTY_STATE.faults);
  });

  test('the runtime client rides out errors, throttling, resets and a lost response', async () => {
    const mix = { errorRate: 0.3, throttleRate: 0.2, resetRate: 0.2, lostResponseRate: 0.5, retryAfterSeconds: 0, seed: 7 };
    emu = await TestEmulator.start({ faults: mix });
    const retries: string[] = [];
    const client = new CbrClient(
      { region: 'emulator-region-1', projectId: DEFAULT_CREDENTIALS.projectId, endpoint: emu.url, auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey } },
      new HttpTransport({ maxAttempts: 30, sleep: async () => undefined, onRetry: (e) => retries.push(e.cause) }),
    );
    await emu.adminCall('POST', '/_emulator/faults', {});
    const vault = await client.createVault(VAULT as never);
    await faults(mix);
    for (let i = 0; i < 5; i++) {
      // addresources is retried after a possible commit: re-adding a held resource is an update, so a lost response is harmless.
      expect(await client.addResources(vault.id, [{ id: `ecs-${i}`, type: 'OS::Nova::Server' }])).toEqual([`ecs-${i}`]);
    }
    expect((await client.listVaults()).vaults[0].resources?.map((r) => r.id)).toEqual(['ecs-0', 'ecs-1', 'ecs-2', 'ecs-3', 'ecs-4']);
    const faulted = (await log()).filter((e: any) => e.fault).map((e: any) => e.fault);
    expect(new Set(faulted)).toEqual(new Set(['error', 'throttle', 'reset', 'lost-response']));
    expect(retries.length).toBeGreaterThan(0);
  });
});

describe('fault flags', () => {
  test('map to fault options', () => {
    const args = parseArgs([
      '--fault-error-rate', '0.1', '--fault-error-statuses=500,502', '--fault-throttle-rate', '0.2', '--fault-retry-after', '3',
      '--fault-latency-ms', '50', '--fault-latency-jitter-ms', '20', '--fault-reset-rate', '0.05', '--fault-lost-response-rate', '0.5', '--fault-seed', '99',
    ], {});
    expect(faultOptionsFromArgs(args)).toEqual({
      errorRate: 0.1,
      errorStatuses: [500, 502],
      throttleRate: 0.2,
      retryAfterSeconds: 3,
      latencyMs: 50,
      latencyJitterMs: 20,
      resetRate: 0.05,
      lostResponseRate: 0.5,
      seed: 99,
    });
    expect(faultOptionsFromArgs(parseArgs([], { CBR_EMULATOR_FAULT_SEED: 'abc', CBR_EMULATOR_FAULT_RESET_RATE: '1' }))).toEqual({ resetRate: 1, seed: 'abc' });
    expect(() => faultOptionsFromArgs(parseArgs(['--fault-error-rate', '2'], {}))).toThrow('--fault-error-rate must be a number from 0 to 1, got "2"');
    expect(() => faultOptionsFromArgs(parseArgs(['--fault-error-statuses', '404'], {}))).toThrow('--fault-error-statuses must be 5xx statuses');
    expect(() => faultOptionsFromArgs(parseArgs(['--fault-latency-ms', '1.5'], {}))).toThrow('--fault-latency-ms must be a whole number, got "1.5"');
  });
});
