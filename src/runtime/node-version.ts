/**
 * The oldest Node.js this package supports: package.json `engines` (.projenrc.ts), the hook
 * bundle's esbuild target, and the check every hook makes first. undici 7 needs 20.18.1.
 */
export const MIN_NODE_VERSION = '20.18.1';

/**
 * The Node.js releases package.json `engines` declares: the LTS lines the package test runs on
 * (20 from MIN_NODE_VERSION, 22, 24) and later ones. Node 20 reached its end of life on 2026-10-30
 * and still works; odd, short-lived releases are not declared.
 */
export const SUPPORTED_NODE_RANGE = `^${MIN_NODE_VERSION} || ^22.0.0 || >=24.0.0`;

/**
 * Why `version` (e.g. process.versions.node) cannot run the hooks, as the one line a hook prints;
 * undefined when it can.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = MIN_NODE_VERSION.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) > need[i]) return undefined;
    if ((have[i] ?? 0) < need[i]) {
      return `Node.js ${version.replace(/^v?/, 'v')} is too old to run the cdktf-cbr hooks, which need Node.js >= ${MIN_NODE_VERSION} ` +
        '(22 or 24 recommended): install a newer Node.js as the `node` on the PATH of the machine that runs terraform.';
    }
  }
  return undefined;
}
