import { PlannedChange, PlanReport, planExitCode } from './plan';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line summary, e.g. `2 updates in place, 1 addition, 0 deletions of data`. */
export function planSummary(report: PlanReport): string {
  const n = (a: string) => report.changes.filter((c) => c.action === a).length;
  const parts = [
    plural(n('update'), 'update in place', 'updates in place'),
    plural(n('create'), 'addition', 'additions'),
    plural(n('move'), 'move', 'moves'),
    plural(report.changes.filter((c) => c.deletesData).length, 'deletion of data', 'deletions of data'),
  ];
  if (n('fail') > 0) parts.push(plural(n('fail'), 'change that will fail at apply', 'changes that will fail at apply'));
  if (n('reapply') > 0) parts.push('every object re-applied');
  return parts.join(', ');
}

const shown = (report: PlanReport) => report.changes.filter((c) => c.action !== 'unchanged');

/** What a change is about: `<kind> <stack>/<key>`, or `stack <stack>` for the whole stack. */
function subject(report: PlanReport, c: PlannedChange): string {
  return c.kind === 'stack' ? report.stack : `${report.stack}/${c.key}`;
}

export function formatPlanText(report: PlanReport): string {
  return [...shown(report).map((c) => `${c.kind} ${subject(report, c)}: ${c.text}`), planSummary(report)].join('\n');
}

export function formatPlanJson(report: PlanReport): string {
  return JSON.stringify({ stack: report.stack, summary: planSummary(report), exitCode: planExitCode(report), changes: report.changes }, null, 2);
}

/** A ready pull-request comment. */
export function formatPlanMarkdown(report: PlanReport): string {
  const rows = shown(report).map((c) => `| ${c.deletesData ? '⚠️ ' : ''}${c.action === 'fail' ? '❌ ' : ''}${c.kind} | \`${subject(report, c)}\` | ${c.text.replace(/\|/g, '\\|')} |`);
  const head = `**cdktf-cbr plan for \`${report.stack}\`**: ${planSummary(report)}`;
  if (rows.length === 0) return `${head}\n\nNo change to any backup object.`;
  return [head, '', '| kind | object | what the hooks will do |', '|---|---|---|', ...rows].join('\n');
}
