// Builds the CDK Terrain (cdktn) package from the cdktf one that package:js made: the same files,
// with the CDK library's name swapped in every require and type import, and its own package.json.
// One source tree, two packages: a cdktn app must load cdktn's classes, since cdktn's stacks call
// methods that cdktf's elements lack, and npm would otherwise install cdktf for our peer dependency.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const jsDir = path.join(root, 'dist', 'js');
const [tarball] = fs.readdirSync(jsDir).filter((f) => f.endsWith('.tgz'));
if (!tarball) throw new Error(`no tarball in ${jsDir}: run "npx projen package:js" first`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-cbr-'));
try {
  execFileSync('tar', ['-xzf', path.join(jsDir, tarball), '-C', work]);
  const pkgDir = path.join(work, 'package');
  let rewritten = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {walk(file);} else if (/\.(js|d\.ts)$/.test(entry.name)) {
        const text = fs.readFileSync(file, 'utf8');
        const swapped = text.replace(/(require\(|from )(["'])cdktf\2/g, '$1$2cdktn$2');
        if (swapped !== text) {
          fs.writeFileSync(file, swapped);
          rewritten++;
        }
      }
    }
  };
  walk(path.join(pkgDir, 'lib'));
  if (rewritten === 0) throw new Error('no require of cdktf found in lib: the cdktn package would still load cdktf');

  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  pkg.name = 'cdktn-cbr';
  pkg.description = pkg.description.replace('CDK for Terraform', 'CDK Terrain (cdktn)');
  pkg.keywords = [...pkg.keywords.filter((k: string) => k !== 'cdktf'), 'cdktn'];
  // The widest ranges the package test proves (test/package/package.test.ts).
  pkg.peerDependencies = { cdktn: '>=0.24.0 <0.25.0', constructs: '>=10.6.0 <10.8.0' };
  // A jsii assembly names its package and its dependencies: this package is for JavaScript and TypeScript apps.
  delete pkg.jsii;
  pkg.files = pkg.files.filter((f: string) => f !== '.jsii');
  fs.rmSync(path.join(pkgDir, '.jsii'), { force: true });
  fs.writeFileSync(path.join(pkgDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  const out = path.join(root, 'dist', 'cdktn');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n').pop();
  console.log(`package:cdktn: dist/cdktn/${name} (${rewritten} files bound to cdktn)`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
