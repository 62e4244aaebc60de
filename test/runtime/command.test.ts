import { destroys, replaces, terraformArgs } from '../../src/runtime/handlers/command';

const ADDRESS = 'terraform_data.cbr_association["Prod/Web/srv-1"]';

describe('the Terraform command line a hook runs under', () => {
  test('a replace of exactly this entry is recognised in both flag forms', () => {
    expect(replaces(['terraform', 'apply', `-replace=${ADDRESS}`], ADDRESS)).toBe(true);
    expect(replaces(['terraform', 'apply', '-replace', ADDRESS, '-auto-approve'], ADDRESS)).toBe(true);
    expect(replaces(['terraform', 'apply', `--replace=${ADDRESS}`], ADDRESS)).toBe(true);
  });

  test('another entry, a destroy or an unknown command line is not a replace of this entry', () => {
    expect(replaces(['terraform', 'apply', '-replace=terraform_data.cbr_association["Prod/Web/srv-2"]'], ADDRESS)).toBe(false);
    expect(replaces(['terraform', 'destroy', '-auto-approve'], ADDRESS)).toBe(false);
    expect(replaces(['terraform', 'apply', '-replace'], ADDRESS)).toBe(false);
    expect(replaces(undefined, ADDRESS)).toBe(false);
  });

  test('a destroy is recognised as a subcommand or as apply -destroy, after global options; unknown without a command line', () => {
    expect(destroys(['terraform', 'destroy', '-auto-approve'])).toBe(true);
    expect(destroys(['terraform', '-chdir=cdktf.out/stacks/backup', 'destroy'])).toBe(true);
    expect(destroys(['terraform', 'apply', '-destroy', '-auto-approve'])).toBe(true);
    expect(destroys(['terraform', 'apply', '-auto-approve', '-var', 'destroy=1'])).toBe(false);
    expect(destroys(['terraform', 'apply', `-replace=${ADDRESS}`])).toBe(false);
    expect(destroys(undefined)).toBeUndefined();
  });

  test('reads a live process\'s arguments from /proc, and nothing for a pid that is not one', () => {
    expect(terraformArgs(String(process.pid))).toEqual(expect.arrayContaining([process.argv[1]]));
    expect(terraformArgs('not-a-pid')).toBeUndefined();
    expect(terraformArgs('../self')).toBeUndefined();
    expect(terraformArgs(undefined)).toBeUndefined();
    expect(terraformArgs('999999999')).toBeUndefined();
  });
});
