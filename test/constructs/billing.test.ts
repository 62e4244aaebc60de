import { Testing, TerraformStack } from 'cdktf';
import { Vault, VaultBilling, VaultObjectType } from '../../src';
import { specsOf } from '../support/specs';

function stack() {
  return new TerraformStack(Testing.app(), 'backup');
}

describe('VaultBilling', () => {
  test('a yearly vault carries the subscription in its spec', () => {
    const s = stack();
    new Vault(s, 'Paid', { vaultName: 'paid', objectType: VaultObjectType.SERVER, size: 80, billing: VaultBilling.yearly(1, { autoPay: true, autoRenew: true }) });
    const spec = specsOf(JSON.parse(Testing.synth(s)), 'vault').Paid;
    expect(spec).toMatchObject({ charging_mode: 'pre_paid', period_type: 'year', period_num: 1, is_auto_renew: true, is_auto_pay: true, auto_expand: false });
  });

  test('pay-per-use is the default and carries neutral period fields', () => {
    const s = stack();
    new Vault(s, 'V', { vaultName: 'v', objectType: VaultObjectType.SERVER, size: 80 });
    const spec = specsOf(JSON.parse(Testing.synth(s)), 'vault').V;
    expect(spec).toMatchObject({ charging_mode: 'post_paid', period_type: '', period_num: 0, is_auto_renew: false, is_auto_pay: false });
  });

  test('fails when a yearly/monthly vault is not paid automatically', () => {
    expect(() => new Vault(stack(), 'Paid', { objectType: VaultObjectType.SERVER, size: 80, billing: VaultBilling.monthly(3) })).toThrow(
      'backup/Paid: billing.autoPay false is invalid: a yearly/monthly vault exists only once its order is paid, and the hook cannot see an unpaid order, ' +
      'so a second apply would place a second order. Pass { autoPay: true } to VaultBilling.yearly()/monthly(), or create the vault in the console and import it with Vault.fromVaultId().');
  });

  test('fails when a yearly/monthly vault asks for auto expansion', () => {
    expect(() => new Vault(stack(), 'Paid', { objectType: VaultObjectType.SERVER, size: 80, autoExpand: true, billing: VaultBilling.monthly(1, { autoPay: true }) }))
      .toThrow(/^backup\/Paid: autoExpand true is invalid: only pay-per-use vaults support auto capacity expansion/);
  });

  test('fails when the period is not a whole number', () => {
    expect(() => new Vault(stack(), 'Paid', { objectType: VaultObjectType.SERVER, size: 80, billing: VaultBilling.yearly(1.5, { autoPay: true }) }))
      .toThrow('backup/Paid: periodNum 1.5 is invalid: period_num is a whole number of years or months, at least 1 (API 4.5.14 table 4-262). Use a whole number such as 1.');
  });
});
