// Checks the tarball `package:js` made: everything users need is in it, and nothing else.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const dir = path.join(__dirname, '..', 'dist', 'js');
const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
if (tarballs.length !== 1) {
  console.error(`package check: expected one tarball in ${dir}, found ${tarballs.length}; run "npx projen package:js"`);
  process.exit(1);
}
const tarball = path.join(dir, tarballs[0]);
const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));

const required = [
  'package.json', 'README.md', 'LICENSE', '.jsii', 'lib/index.js', 'lib/index.d.ts', 'assets/hook/hook.js', 'assets/hook/hook-runtime.js',
  'bin/cbr-emulator.js', 'bin/cdktf-cbr.js', 'assets/bin/cbr-emulator.js', 'assets/bin/cdktf-cbr.js',
];
// What users run or import, and the docs: the library's modules, the bundles of the hook and the
// commands, and nothing else (no node_modules: the bundles carry undici and zod).
const allowed = [
  /^lib\/(index|contract\/(specs|layout|entries|templated-json)|api\/cbr\/catalog)\.(js|d\.ts)$/, /^lib\/(constructs|schedule|rules)\/.+\.(js|d\.ts)$/,
  /^assets\/hook\/hook(-runtime)?\.js$/, /^assets\/bin\/[a-z-]+\.js$/, /^bin\/[a-z-]+\.js$/, /^(package\.json|README\.md|LICENSE|API\.md|\.jsii)$/,
];
const missing = required.filter((f) => !files.includes(f));
const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
if (missing.length > 0 || unexpected.length > 0) {
  if (missing.length > 0) console.error(`package check: ${tarballs[0]} lacks ${missing.join(', ')}`);
  if (unexpected.length > 0) console.error(`package check: ${tarballs[0]} ships what users do not need: ${unexpected.slice(0, 20).join(', ')}${unexpected.length > 20 ? ', ...' : ''}`);
  process.exit(1);
}
// Every module the library loads is in the package: relative requires name shipped files, and bare
// ones only the CDK library, constructs and Node's own modules (a user installs nothing else).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-package-check-'));
try {
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  const broken: string[] = [];
  for (const file of files.filter((f) => f.startsWith('lib/') && f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(work, 'package', file), 'utf8');
    for (const [, spec] of text.matchAll(/require\("([^"]+)"\)/g)) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (!files.includes(`${target}.js`) && !files.includes(target) && !files.includes(`${target}/index.js`)) broken.push(`${file} -> ${spec}`);
      } else if (!['cdktf', 'constructs'].includes(spec) && !builtinModules.includes(spec.replace(/^node:/, ''))) {
        broken.push(`${file} -> ${spec}`);
      }
    }
  }
  if (broken.length > 0) {
    console.error(`package check: ${tarballs[0]} has modules that load what it does not ship: ${broken.slice(0, 20).join(', ')}`);
    process.exit(1);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`package check: ${tarballs[0]} holds ${files.length} files, the hook and command bundles included, and every require resolves`);
