import { DriftEntry, DriftReport } from './drift';
import { HOOK_ENTRY } from '../../contract/specs';
import { show } from '../handlers/diff';

const LABEL: Record<DriftEntry['status'], string> = { in_sync: 'in sync', drifted: 'drifted', missing: 'missing', error: 'error' };

function counts(report: DriftReport): string {
  const n = (s: DriftEntry['status']) => report.entries.filter((e) => e.status === s).length;
  return `${report.entries.length} declared: ${n('in_sync')} in sync, ${n('drifted')} drifted, ${n('missing')} missing` +
    `${n('error') ? `, ${n('error')} unreadable` : ''}; ${report.undeclared.length} undeclared`;
}

/**
 * The `-replace` argument that heals a drifted or missing object: the hook entry of its stack runs
 * again and brings every object of the stack back to its declared state. No object's own entry is
 * replaced, so no delete hook runs.
 */
export function healArgs(report: DriftReport): string[] {
  const drifted = report.entries.some((e) => e.status === 'drifted' || e.status === 'missing');
  return drifted ? [`-replace='terraform_data.${HOOK_ENTRY}'`] : [];
}

export function formatText(report: DriftReport): string {
  const lines: string[] = [];
  for (const e of report.entries) {
    lines.push(`${e.kind} ${e.stack}/${e.key}: ${LABEL[e.status]}${e.error ? `: ${e.error}` : ''}`);
    for (const c of e.changes) lines.push(`    ${c.field}: declared ${show(c.desired)}, live ${show(c.live)}`);
  }
  for (const u of report.undeclared) lines.push(`vault ${u.name} (${u.id}): undeclared (owner tag ${u.owner}: this deployment's, but no construct declares it)`);
  lines.push(counts(report));
  const heal = healArgs(report);
  if (heal.length > 0) lines.push(`to heal: terraform apply ${heal.join(' ')}`);
  return lines.join('\n');
}

export function formatJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2);
}

/** Markdown ready to post as a pull-request comment. */
export function formatMarkdown(report: DriftReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const drifted = report.entries.filter((e) => e.status !== 'in_sync');
  const lines = ['### Backup drift (cdktf-cbr)', '', counts(report), ''];
  if (drifted.length === 0 && report.undeclared.length === 0) {
    lines.push('Everything declared matches the cloud.');
    return lines.join('\n');
  }
  lines.push('| object | status | field | declared | live |', '|---|---|---|---|---|');
  for (const e of drifted) {
    const name = `\`${e.kind} ${e.stack}/${e.key}\``;
    if (e.changes.length === 0) lines.push(`| ${name} | ${LABEL[e.status]} | ${cell(e.error ?? '')} | | |`);
    for (const c of e.changes) lines.push(`| ${name} | ${LABEL[e.status]} | ${c.field} | \`${cell(show(c.desired))}\` | \`${cell(show(c.live))}\` |`);
  }
  for (const u of report.undeclared) lines.push(`| \`vault ${u.name}\` (${u.id}) | undeclared | | | |`);
  const heal = healArgs(report);
  if (heal.length > 0) {
    lines.push('', 'Terraform does not see this drift by itself. To restore the declared state, run the stack\'s hook entry again (it applies every object):', '',
      '```sh', `terraform apply ${heal.join(' ')}`, '```');
  }
  if (report.undeclared.length > 0) {
    lines.push('', 'Undeclared vaults carry the `cdktf-cbr` ownership tag of an examined deployment, but none of its constructs declares them (a removed Vault with removalPolicy RETAIN): declare one with the same vaultName to take it back, import it with `Vault.fromVaultId()`, or delete it.');
  }
  return lines.join('\n');
}
