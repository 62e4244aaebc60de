import { main } from '../../src/runtime/cli';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {} });
  return { code, out, err };
}

describe('the cdktf-cbr command line', () => {
  test('fails when --format is not text, json or markdown, for drift and for plan', async () => {
    for (const command of ['drift', 'plan']) {
      const r = await run([command, '--format', 'yaml']);
      expect(r).toEqual({ code: 1, out: '', err: 'cdktf-cbr: --format "yaml" is not one of text, json, markdown\n' });
    }
  });

  test('fails when plan is given none or more than one of --plan, --plan-json and --app-dir', async () => {
    for (const args of [[], ['--plan', 'a', '--plan-json', 'b'], ['--plan', 'a', '--app-dir', '.'], ['--plan-json', 'b', '--app-dir', '.']]) {
      const r = await run(['plan', ...args]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^cdktf-cbr plan: give one of --plan PLANFILE, --plan-json FILE or --app-dir DIR\n/);
    }
  });

  test('fails when plan --app-dir has no synthesized app, naming what to do', async () => {
    const r = await run(['plan', '--app-dir', '/nonexistent']);
    expect(r).toEqual({ code: 1, out: '', err: 'cdktf-cbr plan: no cdktf manifest at /nonexistent/cdktf.out/manifest.json: run "cdktf synth" first, or point --app-dir at the folder that holds cdktf.out\n' });
  });

  test('fails when an option is unknown, with the usage', async () => {
    const r = await run(['plan', '--planfile', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cdktf-cbr: Unknown option '--planfile'/);
    expect(r.err).toContain('usage: cdktf-cbr drift');
  });

  test('fails when the plan JSON cannot be read, naming the file', async () => {
    const r = await run(['plan', '--plan-json', '/nonexistent/plan.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cdktf-cbr plan: ENOENT: no such file or directory, open '\/nonexistent\/plan.json'/);
  });
});
