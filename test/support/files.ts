import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The text of every file cdktf and Terraform wrote under `dir`: synthesized JSON, manifests, state
 * and its backups. Terraform's plugin folder and the emulators' own state files are left out.
 */
export function writtenFilesText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.terraform') walk(p);
      } else if (/\.(json|tfstate|backup)$/.test(e.name) && !e.name.startsWith('emulator-state')) {
        out.push(fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(dir);
  return out.join('\n');
}
