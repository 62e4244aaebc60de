// Checks the tarball `package:js` made: everything users need is in it, and nothing else.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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
  'bin/cbr-emulator.js', 'bin/cdktf-cbr.js', 'lib/emulator/cli.js', 'lib/runtime/cli.js',
];
// What users run or import (with the bundled undici), and the docs; test and demo code (lib/harness) and sources stay home.
const allowed = [/^node_modules\/undici\//, /^lib\/(?!harness\/).+\.(js|d\.ts)$/, /^assets\/hook\/hook(-runtime)?\.js$/, /^bin\/[a-z-]+\.js$/, /^(package\.json|README\.md|LICENSE|API\.md|\.jsii)$/];
const missing = required.filter((f) => !files.includes(f));
const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
if (missing.length > 0 || unexpected.length > 0) {
  if (missing.length > 0) console.error(`package check: ${tarballs[0]} lacks ${missing.join(', ')}`);
  if (unexpected.length > 0) console.error(`package check: ${tarballs[0]} ships what users do not need: ${unexpected.slice(0, 20).join(', ')}${unexpected.length > 20 ? ', ...' : ''}`);
  process.exit(1);
}
console.log(`package check: ${tarballs[0]} holds ${files.length} files, the hook bundle included`);
