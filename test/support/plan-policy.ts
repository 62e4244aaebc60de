/**
 * The policy-as-code rule the README gives in Rego (section "A plan in a pull request"), written
 * again line for line in TypeScript: neither OPA nor conftest can be installed on the machines
 * that run these tests, so test/e2e/policy-as-code.test.ts evaluates this on real plan JSON.
 * Keep the two alike.
 */

/** The entries that only run hooks, or hold the deployment's id: they stand for no cloud object. */
const BOOKKEEPING = new Set(['cbr_hooks', 'cbr_policy_claim', 'cbr_vault_order', 'cbr_deployment']);

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly change: { readonly actions: string[]; readonly before?: any; readonly after?: any };
}

/** `objects contains rc if { ... startswith(rc.name, "cbr_"); not bookkeeping[rc.name] }` */
function objects(plan: any): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((rc: ResourceChange) => rc.type === 'terraform_data' && rc.name.startsWith('cbr_') && !BOOKKEEPING.has(rc.name));
}

/** `stored(rc)`: the entry's updatable fields as the state holds them (an earlier release's entry: its whole spec). */
function part(value: unknown): any {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? {});
}
const identity = (triggers: unknown) => (Array.isArray(triggers) ? triggers[1] : triggers);
const stored = (rc: ResourceChange) => ({ ...part(identity(rc.change.before?.triggers_replace)), ...part(rc.change.before?.input) });
const planned = (rc: ResourceChange) => ({ ...part(rc.change.after?.triggers_replace?.[1]), ...part(rc.change.after?.input) });

/** `removed(rc) if rc.change.actions == ["delete"]`: a replacement keeps the object (its delete hook hands it over). */
const removed = (rc: ResourceChange) => rc.change.actions.length === 1 && rc.change.actions[0] === 'delete';

/** `moved(rc, field)`: another entry of the table is created with the same `field`: a move, which keeps the object. */
function moved(plan: any, rc: ResourceChange, field: string): boolean {
  return objects(plan).some((o) => o.name === rc.name && o.address !== rc.address && o.change.actions.includes('create') && planned(o)[field] === stored(rc)[field]);
}

/** `deny`: the messages of the changes that delete backups. */
export function deny(plan: any): string[] {
  const out: string[] = [];
  for (const rc of objects(plan)) {
    if (rc.name === 'cbr_vault' && removed(rc) && stored(rc).removal_policy === 'destroy' && !moved(plan, rc, 'name')) {
      out.push(`${rc.address}: deletes the vault and its backups`);
    }
    if (rc.name === 'cbr_association' && removed(rc) && !stored(rc).retain_on_destroy && !moved(plan, rc, 'resource_id')) {
      out.push(`${rc.address}: dissociates the resource, which deletes its backups`);
    }
  }
  return out;
}
