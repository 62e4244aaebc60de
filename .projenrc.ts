import { cdktf, DependencyType, javascript } from 'projen';
import { MIN_NODE_VERSION, SUPPORTED_NODE_RANGE } from './src/runtime/node-version';

const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-cbr',
  description:
    'CDK for Terraform constructs for Huawei Cloud Backup and Recovery (CBR) and Alibaba Cloud HBR backup clients, driven by terraform_data lifecycle hooks',
  author: 'cdktf-cbr maintainers',
  authorAddress: 'maintainers@cdktf-cbr.invalid',
  repositoryUrl: 'https://example.invalid/cdktf-cbr.git',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  cdktfVersion: '0.21.0',
  constructsVersion: '^10.4.2',
  typescriptVersion: '~5.8.0',
  minNodeVersion: MIN_NODE_VERSION,
  keywords: ['cdktf', 'terraform', 'backup', 'huaweicloud', 'cbr', 'alibabacloud', 'hbr'],
  devDeps: [
    // Not jsii modules: esbuild bundles them into the hook and the two commands (assets/), so the
    // package ships neither and they never appear in the public API. Pinned exactly:
    // src/runtime/http/transport.ts loads undici's internal files, which a minor release may move.
    'undici@7.30.2',
    // The API schemas of src/api (zod/mini, a twentieth of zod in a bundle).
    'zod@4.6.7',
    '@huaweicloud/huaweicloud-sdk-core@^3.1.150',
    // Official Alibaba SDK pieces: tests cross-check our HBR request signing against them.
    '@alicloud/openapi-client@^0.4.15',
    '@alicloud/openapi-util@^0.3.3',
    '@alicloud/tea-util@^1.4.9',
    'esbuild@^0.25.0',
    'fast-check@^3.23.0',
    // The engines test checks the declared range as npm reads it.
    'semver@^7.6.0',
    '@types/semver@^7.5.0',
  ],
  bin: {
    'cbr-emulator': 'bin/cbr-emulator.js',
    'cdktf-cbr': 'bin/cdktf-cbr.js',
  },
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
      // End-to-end suites start terraform and the emulator; two workers fit a 2-core machine.
      maxWorkers: 2,
    },
  },
  tsconfigDev: {
    compilerOptions: {},
  },
  // Inline source maps were 1.4 MB of the 1.9 MB of lib: users debug the compiled JavaScript, which is readable.
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: false },
  },
  gitignore: ['/assets/hook/', '/assets/bin/', '.tmp/', 'cdktf.out/', '*.tfstate', '*.tfstate.backup', '.terraform/', '.terraform.lock.hcl'],
  npmignoreEnabled: true,
  // Peers get explicit development versions below: the cdktf peer range is wider than the version we build with.
  peerDependencyOptions: { pinnedDevDependency: false },
});

// The widest cdktf range the package test proves (test/package/package.test.ts deploys with 0.20 and 0.21);
// development stays on cdktfVersion.
project.deps.removeDependency('cdktf', DependencyType.PEER);
project.deps.addDependency('cdktf@>=0.20.0 <0.22.0', DependencyType.PEER);
project.deps.addDependency('cdktf@0.21.0', DependencyType.BUILD);
project.deps.addDependency('constructs@10.4.2', DependencyType.BUILD);

// The hook, the commands and the emulator are esbuild bundles that carry undici and zod (assets/);
// synth loads no module that imports either (test/package/package.test.ts proves it from the tarball):
// for their sources those development dependencies are the right ones.
project.eslint?.addOverride({
  files: ['src/api/**/*.ts', 'src/contract/**/*.ts', 'src/runtime/**/*.ts', 'src/emulator/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// Examples import the sources; the demo and tests need the repository, not the package.
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/.ci/');
// What ships is an allowlist: an untracked file in the working tree never reaches users. From lib/,
// only what `require('cdktf-cbr')` loads (the constructs, the schedule and retention rules, the
// contract's names and entry layout, and the API's enumerations): the hook and the two commands run from their bundles in
// assets/, which carry undici and zod, so the package has no dependencies of its own.
// test/package/package.test.ts synthesizes, deploys and runs both commands from the tarball.
// The contract's synth side (names, the entry layout, its JSON text) ships; its schemas and decoder are the hook's.
const LIB = [
  'lib/index', 'lib/constructs/**/*', 'lib/schedule/**/*', 'lib/rules/*', 'lib/api/cbr/catalog',
  'lib/contract/specs', 'lib/contract/layout', 'lib/contract/entries', 'lib/contract/templated-json',
];
project.package.addField('files', [...LIB.flatMap((f) => [`${f}.js`, `${f}.d.ts`]), 'assets/hook/*.js', 'assets/bin/*.js', 'bin/', '.jsii', 'API.md']);

// The hook runtime is bundled into one file and shipped with each synthesized stack as a TerraformAsset.
project.package.addEngine('node', SUPPORTED_NODE_RANGE);

const bundleHook = project.addTask('bundle:hook', {
  description: 'Bundle the lifecycle hook into assets/hook (hook.js, the entry point, and hook-runtime.js, loaded only when a process runs hooks itself) ' +
    'and the two commands into assets/bin (cdktf-cbr.js, cbr-emulator.js)',
});
bundleHook.exec('node -e "for (const d of [\'assets/hook\', \'assets/bin\']) require(\'fs\').rmSync(d, { recursive: true, force: true })"');
// The spec decoder calls the constructs' rule functions, which import cdktf only to skip tokens;
// node:http2 is left out (undici reads only its constants unless HTTP/2 is on).
const ESBUILD = `esbuild --bundle --platform=node --target=node${MIN_NODE_VERSION.split('.')[0]} --minify --legal-comments=none ` +
  '--alias:node:http2=./src/runtime/http/http2-stub.ts --alias:cdktf=./src/runtime/cdktf-stub.ts';
bundleHook.exec(`${ESBUILD} hook=src/runtime/hook-main.ts hook-runtime=src/runtime/hook-runtime.ts --outdir=assets/hook --external:./hook-runtime.js`);
bundleHook.exec(`${ESBUILD} cdktf-cbr=src/runtime/cli.ts cbr-emulator=src/emulator/cli.ts --outdir=assets/bin`);
project.preCompileTask.spawn(bundleHook);
project.testTask.prependSpawn(bundleHook);
// A package without the hook cannot deploy anything: package:js builds it, then checks the tarball.
const packageJs = project.tasks.tryFind('package:js')!;
packageJs.prependExec('node -e "require(\'fs\').rmSync(\'dist/js\', { recursive: true, force: true })"');
packageJs.prependSpawn(bundleHook);
packageJs.exec('ts-node --transpile-only projenrc/check-package.ts');
// The same library for CDK Terrain apps, from the same build (see projenrc/package-cdktn.ts).
const packageCdktn = project.addTask('package:cdktn', { description: 'Make the cdktn-cbr package (CDK Terrain) from the cdktf-cbr tarball' });
packageCdktn.exec('ts-node --transpile-only projenrc/package-cdktn.ts');
project.tasks.tryFind('package')!.spawn(packageCdktn);

project.addTask('emulator', {
  description: 'Start the CBR/HBR emulator on 127.0.0.1',
  exec: 'ts-node --transpile-only src/emulator/cli.ts',
  receiveArgs: true,
});
// The demo and the bench synthesize stacks, which ship the hook bundle: build it first.
const demo = project.addTask('demo', {
  description: 'Apply the example stack with real Terraform against the embedded emulator',
});
demo.spawn(bundleHook);
demo.exec('ts-node --transpile-only examples/demo.ts', { receiveArgs: true });
const bench = project.addTask('bench', {
  description: 'Print performance figures',
});
bench.spawn(bundleHook);
bench.exec('ts-node --transpile-only test/bench/bench.ts', { receiveArgs: true });

project.synth();
