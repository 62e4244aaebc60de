import { decodeTokenRequest } from '../../src/api/cbr/iam';
import { CREATE_VAULT, VaultCreate } from '../../src/api/cbr/vaults';
import { ApiError } from '../../src/api/errors';
import { validateRequest } from '../../src/api/table';
import { vaultViolations } from '../../src/rules/vault';

/** The 4.5.1 example vault, as the request table takes it. */
const EXAMPLE: VaultCreate = {
  name: 'vault_name',
  billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 },
  resources: [],
};

function verdict(vault: VaultCreate): string | undefined {
  try {
    validateRequest({ vault }, CREATE_VAULT);
    return undefined;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return `${e.code} ${e.message}`;
  }
}

const YEARLY = { ...EXAMPLE.billing, charging_mode: 'pre_paid', period_type: 'year', period_num: 3, is_auto_renew: true };

describe('the vault request table (4.5.1) holds the billing rules the construct does not reach', () => {
  test('accepts a yearly vault with auto renew, a console URL and demand billing', () => {
    expect(verdict({ ...EXAMPLE, billing: { ...YEARLY, console_url: 'https://console.example/cbr' }, demand_billing: true })).toBeUndefined();
  });

  test('fails when the console URL is empty', () => {
    expect(verdict({ ...EXAMPLE, billing: { ...YEARLY, console_url: '' } }))
      .toBe('BackupService.9900 Parameter verification failed. vault.billing.console_url must be from 1 to 255 characters long, got 0.');
  });

  test('fails when the console URL has 256 characters', () => {
    expect(verdict({ ...EXAMPLE, billing: { ...YEARLY, console_url: 'u'.repeat(256) } }))
      .toBe('BackupService.9900 Parameter verification failed. vault.billing.console_url must be from 1 to 255 characters long, got 256.');
  });

  test('fails when a pay-per-use vault asks for demand billing', () => {
    expect(verdict({ ...EXAMPLE, demand_billing: true }))
      .toBe('BackupService.9900 Parameter verification failed. vault.demand_billing can be true only for a yearly/monthly (pre_paid) vault.');
  });
});

describe('a vault size is bounded by one pair of limits, at synth and in the API table', () => {
  test.each([9, 10, 100, 10485760, 10485761, 10.5])('size %s', (size) => {
    const atSynth = vaultViolations({ vaultName: 'v', objectType: 'server', size, billing: { chargingMode: 'post_paid' } });
    const inTable = verdict({ ...EXAMPLE, billing: { ...EXAMPLE.billing, size } });
    expect(atSynth.length > 0).toBe(inTable !== undefined);
    if (inTable) expect(inTable).toMatch(/^BackupService\.(6101|9900) /);
  });
});

describe('the IAM token request (3.2) is a request table too', () => {
  const body = (user: Record<string, unknown>, methods = ['password']) =>
    ({ auth: { identity: { methods, password: { user: { domain: { name: 'd' }, ...user } } }, scope: { project: { id: 'p1' } } } });
  const answer = (b: unknown) => { try { decodeTokenRequest(b); return undefined; } catch (e) { return `${(e as ApiError).code} ${(e as ApiError).message}`; } };

  test('reads the user, the domain and the project', () => {
    expect(decodeTokenRequest(body({ name: 'alice', password: 'pw' }))).toEqual({ userName: 'alice', password: 'pw', domainName: 'd', projectId: 'p1', projectName: undefined });
  });

  test('fails when the methods lack password', () => {
    expect(answer(body({ name: 'alice', password: 'pw' }, ['token']))).toBe('IAM.0007 Request parameter is invalid. auth.identity.methods must contain "password".');
  });

  test('fails when the user name is empty', () => {
    expect(answer(body({ name: '', password: 'pw' }))).toBe('IAM.0007 Request parameter is invalid. auth.identity.password.user.name must be at least 1 characters long, got 0.');
  });
});
