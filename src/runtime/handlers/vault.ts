import { HookContext, HookError } from './context';
import { movedTo, ownDeclaration } from './declared';
import { ApiField, compareRules, createObject, describeChanges, diffFields, FieldChange, refuseFrozenChanges, sameValue, show, updateObject } from './diff';
import { createOnce } from './ensure';
import { handedOver } from './handoff';
import { deploymentPrefix, ownerTag, ownerTagOf } from './ownership';
import { findOwnedVault } from './refs';
import type { Vault } from '../../api/cbr/responses';
import type { CreateVaultRequest, UpdateVaultRequest } from '../../api/cbr/vaults';
import { OWNER_TAG_KEY, VAULT_ORDERS, VaultRef, VaultSpec } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { isNotFound } from '../errors';
import { SETTINGS } from '../settings';

function tagMap(tags: ReadonlyArray<{ key: string; value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.key] = t.value ?? '';
  return out;
}

function isPrePaid(spec: VaultSpec): boolean {
  return spec.charging_mode === 'pre_paid';
}

type VaultField = ApiField<VaultSpec, Vault>;

const postPaid = (s: VaultSpec) => !isPrePaid(s);

/**
 * Updatable fields follow 4.5.4: name, auto_bind, bind_rules, auto_expand, smn_notify, threshold,
 * billing.consistent_level, billing.size. A yearly/monthly vault's subscription is sent at creation
 * only (4.5.14) and changed in the Billing Center; 4.5.14 takes neither auto_expand nor backup_name_prefix.
 */
const VAULT_FIELDS: readonly VaultField[] = [
  { field: 'name', api: 'name', updatable: true },
  { field: 'size', api: 'billing.size', updatable: true },
  { field: 'consistent_level', api: 'billing.consistent_level', updatable: true },
  { field: 'auto_expand', api: 'auto_expand', updatable: true, absent: false, sent: postPaid },
  { field: 'auto_bind', api: 'auto_bind', updatable: true, absent: false },
  {
    field: 'bind_rules',
    api: 'bind_rules',
    updatable: true,
    sent: (s) => Object.keys(s.bind_rules).length > 0,
    wire: (s) => ({ tags: Object.entries(s.bind_rules).map(([key, value]) => ({ key, value })) }),
    live: (v) => tagMap(v.bind_rules?.tags),
  },
  { field: 'threshold', api: 'threshold', updatable: true, absent: 80 },
  { field: 'smn_notify', api: 'smn_notify', updatable: true, absent: true },
  { field: 'description', api: 'description', updatable: false, absent: '' },
  { field: 'object_type', api: 'billing.object_type', updatable: false },
  { field: 'protect_type', api: 'billing.protect_type', updatable: false },
  { field: 'cloud_type', api: 'billing.cloud_type', updatable: false, absent: 'public' },
  { field: 'charging_mode', api: 'billing.charging_mode', updatable: false, absent: 'post_paid' },
  { field: 'is_multi_az', api: 'billing.is_multi_az', updatable: false, absent: false },
  // Documented as a string, default "0"; the examples answer the number 0.
  { field: 'enterprise_project_id', api: 'enterprise_project_id', updatable: false, live: (v) => String(v.enterprise_project_id ?? '0') },
  { field: 'backup_name_prefix', api: 'backup_name_prefix', updatable: false, compared: false, sent: (s) => s.backup_name_prefix !== '' && postPaid(s) },
  { field: 'period_type', api: 'billing.period_type', updatable: false, compared: false, sent: isPrePaid },
  { field: 'period_num', api: 'billing.period_num', updatable: false, compared: false, sent: isPrePaid },
  { field: 'is_auto_renew', api: 'billing.is_auto_renew', updatable: false, compared: false, sent: isPrePaid },
  { field: 'is_auto_pay', api: 'billing.is_auto_pay', updatable: false, compared: false, sent: isPrePaid },
];

const COMPARE_RULES = compareRules(VAULT_FIELDS);

/**
 * The spec fields the hook compares with the live vault, each with whether the API can change it
 * (4.5.4). A field not listed is set at creation only (or, for a subscription, in the Billing Center).
 */
export const VAULT_FIELD_UPDATABLE: Readonly<Record<string, boolean>> = Object.fromEntries(COMPARE_RULES.map((f) => [f.field, f.updatable]));

export function diffVault(spec: VaultSpec, live: Vault): FieldChange[] {
  return diffFields(COMPARE_RULES, spec, live);
}

/**
 * The ownership tag value of the vault an entry manages: derived from the deployment and the
 * entry's key (format 3), or the value formats 1-2 stored in the spec.
 */
export function vaultTag(spec: VaultSpec, key: string): string {
  if (spec.deployment !== undefined) return ownerTag(spec.deployment, key);
  if (spec.owner) return spec.owner;
  throw new HookError('the vault spec carries neither a deployment nor an owner tag');
}

/** The vault's identity: the ownership tag, not the name, so a renamed vault is still found. */
function ownerRef(spec: VaultSpec, key: string): VaultRef {
  return { by: 'owner', value: vaultTag(spec, key), name: spec.name };
}

/** Finds the vault this entry owns, or else the vaults that merely have its name. */
export async function findVault(client: CbrClient, spec: VaultSpec, key: string): Promise<{ ours?: Vault; named: Vault[] }> {
  return findOwnedVault(client, ownerRef(spec, key));
}

/**
 * Decides whether this entry may take over `vault`, which has its name but not its ownership tag,
 * and says how; throws the fix when it may not. A vault is taken over when
 * - this deployment tagged it for a construct path no longer declared: the construct moved;
 * - an earlier release tagged it for this very construct (`legacy_owner`): the first apply after an upgrade;
 * - `adopt` is set: whoever made it, and the message names its previous tag.
 * A vault another construct of this deployment still declares is never taken.
 */
function takeOver(vault: Vault, spec: VaultSpec, ctx: HookContext): string {
  const theirs = ownerTagOf(vault);
  const what = `a vault named "${spec.name}" already exists (${vault.id})`;
  if (spec.deployment !== undefined && theirs?.startsWith(deploymentPrefix(spec.deployment))) {
    const declared = ctx.declared('vault');
    if (declared === undefined) {
      throw new HookError(`${what} and belongs to another construct of this deployment; the configuration cannot be read (CBR_CONFIG_FILE), ` +
        'so the hook cannot tell whether that construct moved here. Run the hook from terraform apply.');
    }
    const holder = Object.keys(declared).find((k) => k !== ctx.key && ownerTag(spec.deployment!, k) === theirs);
    if (holder) {
      throw new HookError(`${what} and belongs to ${holder} of this stack; two constructs cannot manage one vault. Give one of them another vaultName.`);
    }
    return `moved ${vault.id} here from a construct of this deployment that is no longer declared`;
  }
  if (theirs !== undefined && theirs === spec.legacy_owner) {
    return `tagged ${vault.id} for this deployment (an earlier cdktf-cbr release created it for this construct)`;
  }
  if (spec.adopt) return `adopted ${vault.id} (${theirs ? `its "${OWNER_TAG_KEY}" tag was "${theirs}"` : `it had no "${OWNER_TAG_KEY}" tag`})`;
  const owner = theirs === undefined
    ? 'was not created by cdktf-cbr'
    : /^o-/.test(theirs)
      ? `was created by an earlier cdktf-cbr release for another stack or construct (its "${OWNER_TAG_KEY}" tag is "${theirs}")`
      : `belongs to another cdktf-cbr deployment (its "${OWNER_TAG_KEY}" tag is "${theirs}"): another Terraform state of this or another app, ` +
        'or this stack before its state was destroyed or lost';
  throw new HookError(`${what} and ${owner}. Choose another vaultName, set adopt: true on this Vault to take it over ` +
    '(its previous owner then no longer manages it), or import it with Vault.fromVaultId().');
}

/** The body of 4.5.1 (and 4.5.14): every field the table sends, the ownership tag, and no resources yet. */
function createBody(spec: VaultSpec, key: string): CreateVaultRequest {
  // User tags are hook-table entries of their own (kind `tag`), added right after the vault.
  const vault = createObject(VAULT_FIELDS, spec);
  vault.tags = [{ key: OWNER_TAG_KEY, value: vaultTag(spec, key) }];
  vault.resources = [];
  return { vault } as CreateVaultRequest;
}

/** The body of 4.5.4: the changed fields, at their places in VaultUpdate. */
function updateBody(changes: readonly FieldChange[], spec: VaultSpec): UpdateVaultRequest {
  return { vault: updateObject(VAULT_FIELDS, changes, spec) } as UpdateVaultRequest;
}

/**
 * The vault this entry owns: found by its ownership tag, or taken over (takeOver) from the one
 * vault of its name, which is then tagged for it; undefined when there is none. `adopted` says how
 * it was taken over, for the report.
 */
async function ownedVault(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<{ ours?: Vault; adopted: string }> {
  const { ours, named } = await findVault(client, spec, ctx.key);
  if (ours) return { ours, adopted: '' };
  if (named.length > 1) {
    throw new HookError(`${named.length} vaults are named "${spec.name}" (${named.map((v) => v.id).join(', ')}) and none carries this construct's ` +
      `"${OWNER_TAG_KEY}" tag; choose another vaultName, or import the one you mean with Vault.fromVaultId().`);
  }
  if (named.length === 0) return { adopted: '' };
  // Taking over = tagging: from then on the ownership tag, not the name, identifies the vault.
  const adopted = `${takeOver(named[0], spec, ctx)}; `;
  await client.createVaultTag(named[0].id, { key: OWNER_TAG_KEY, value: vaultTag(spec, ctx.key) });
  return { ours: named[0], adopted };
}

/** The entry of a yearly/monthly vault's order, for messages. */
function orderAddress(key: string): string {
  return `terraform_data.${VAULT_ORDERS}[${JSON.stringify(key)}]`;
}

export async function applyVault(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<void> {
  const { ours, adopted } = await ownedVault(client, spec, ctx);
  if (!ours) {
    if (isPrePaid(spec)) {
      // Ordered by its own entry (orderVaultOnce), before this hook: never ordered here, where a
      // re-run could not tell an order still being fulfilled from one never placed.
      throw new HookError(`the yearly/monthly vault "${spec.name}" has not appeared: its order (${orderAddress(ctx.key)}) is still being fulfilled, ` +
        'or it failed. Its relations wait for it; apply again once it appears. If the order failed (Billing Center), order again with ' +
        `terraform apply -replace='${orderAddress(ctx.key)}'.`);
    }
    const created = await createOnce(() => client.createVault(createBody(spec, ctx.key)), () => readVault(client, spec, ctx.key));
    ctx.report(`vault ${ctx.key}: created ${created.id} (${spec.name}, ${spec.size} GB)`);
    return;
  }
  const changes = diffVault(spec, ours);
  refuseFrozenChanges(`vault ${ours.id}`, changes, '4.5.4', 'Revert the change, or give the construct a new id and vaultName to create a new vault ' +
    '(the old one is then deleted or retained according to its removalPolicy).');
  const note = subscriptionNote(spec, handedOver(ctx, 'vault'));
  if (changes.length === 0) {
    if (adopted) ctx.report(`vault ${ctx.key}: ${adopted}unchanged (${ours.id})${note}`);
    else ctx.unchanged(`vault ${ctx.key}: unchanged (${ours.id})${note}`, note !== '');
    return;
  }
  await client.updateVault(ours.id, updateBody(changes, spec));
  ctx.report(`vault ${ctx.key}: ${adopted}updated ${describeChanges(changes)} (${ours.id})${note}`);
}

/** A subscription's terms: sent with its order (4.5.14), and neither returned nor updated by the API. */
const SUBSCRIPTION_FIELDS = ['period_type', 'period_num', 'is_auto_renew', 'is_auto_pay'] as const;

/**
 * The terms of a yearly/monthly vault that changed since its entry was last applied (the replaced
 * entry left its spec): the API cannot apply them, so the line says so and where they change.
 */
function subscriptionNote(spec: VaultSpec, previous: VaultSpec | undefined): string {
  if (!isPrePaid(spec) || !previous) return '';
  const changed = SUBSCRIPTION_FIELDS.filter((f) => !sameValue(previous[f], spec[f]));
  if (changed.length === 0) return '';
  return `; ${changed.map((f) => `${f} ${show(previous[f])} -> ${show(spec[f])}`).join(', ')} not applied: ` +
    'a subscription\'s period and renewal are set when it is ordered, change them in the Billing Center';
}

/**
 * The order hook of a yearly/monthly vault (its entry in cbr_vault_order): orders it through
 * 4.5.14 unless the vault exists (then it is the hook entry's to update), and waits until the
 * order has produced it. A vault that has not appeared in time leaves the entry done, so that no
 * apply orders it again; `-replace` of the entry orders again.
 */
export async function orderVaultOnce(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<void> {
  const { ours, adopted } = await ownedVault(client, spec, ctx);
  if (ours) {
    ctx.report(`vault ${ctx.key}: ${adopted}not ordered: the vault exists (${ours.id})`);
    return;
  }
  const { vault: created, orderId, waitedMs } = await orderVault(client, spec, ctx.key);
  if (!created) {
    ctx.report(`vault ${ctx.key}: ordered ${spec.name} (${describeSubscription(spec)}, order ${orderId || 'unknown'}); the vault has not appeared ` +
      `within ${Math.round(waitedMs / 1000)} s, the order is still being fulfilled. This entry counts as done so that no apply orders it ` +
      'again: the vault\'s relations fail until it appears, then apply again. If the order failed (Billing Center), order again with ' +
      `terraform apply -replace='${orderAddress(ctx.key)}'.`);
    return;
  }
  ctx.report(`vault ${ctx.key}: created ${created.id} (${spec.name}, ${spec.size} GB, ${describeSubscription(spec)}, order ${created.billing.order_id || 'unknown'})`);
}

/**
 * Deletes or retains the vault according to its removal policy, except when its construct moved:
 * its key is gone and another entry declares a vault of the same name, which takes this one over
 * (before or after this hook, DESIGN.md fact 10). A name from a Terraform expression may be the
 * same: the vault is then kept rather than risk deleting the backups of a moved vault.
 *
 * An entry still declared is deleted only by `terraform destroy`, which the command line must say
 * (Linux /proc, or ps elsewhere): a replacement (a spec format upgrade, a field the API cannot
 * change, `-replace`) keeps the vault and its backups, and the hook entry then applies the new spec
 * to it, or refuses what the API cannot change.
 */
export async function deleteVault(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<void> {
  const to = movedTo(ctx, 'vault', spec);
  if (to) {
    ctx.report(`vault ${ctx.key}: moved from ${ctx.key} to ${to} (the vault "${spec.name}" and its backups are kept for it)`);
    return;
  }
  if (ownDeclaration(ctx, 'vault', spec) !== undefined && ctx.destroying() !== true) {
    // For the hook entry: what it applied before, which the API does not return for a subscription.
    ctx.handoff.put(spec);
    const why = ctx.destroying() === undefined
      ? 'the command line cannot be read here, so a destroy cannot be told from a replacement: delete it in the console if it should go'
      : 'its entry is replaced: the hook entry applies the new spec to it';
    ctx.report(`vault ${ctx.key}: kept "${spec.name}" and its backups (${why})`);
    return;
  }
  const { ours } = await findVault(client, spec, ctx.key);
  if (!ours) {
    ctx.report(`vault ${ctx.key}: already gone`);
    return;
  }
  const paid = ours.billing.charging_mode === 'pre_paid' ? ` yearly/monthly vault, order ${ours.billing.order_id || 'unknown'}` : '';
  if (spec.removal_policy !== 'destroy') {
    const billed = paid ? `; it stays billed until its period ends (${paid.trim()})` : '';
    ctx.report(`vault ${ctx.key}: retained ${ours.id} (removalPolicy RETAIN keeps the vault and its backups${billed})`);
    return;
  }
  try {
    await client.deleteVault(ours.id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const refund = paid ? ` (${paid.trim()}: deleting the vault does not settle the subscription; check the remaining term in the Billing Center)` : '';
  ctx.report(`vault ${ctx.key}: deleted ${ours.id}${refund}`);
}

export async function readVault(client: CbrClient, spec: VaultSpec, key: string): Promise<Vault | undefined> {
  return (await findVault(client, spec, key)).ours;
}

function describeSubscription(spec: VaultSpec): string {
  return `${spec.period_num} ${spec.period_type}${spec.period_num === 1 ? '' : 's'}${spec.is_auto_renew ? ', auto-renew' : ''}`;
}

/**
 * How long to wait for an ordered vault to appear, and how often to look: CBR_ORDER_TIMEOUT_MS and
 * CBR_ORDER_POLL_MS, which reach the handler in the client's config; a config built by hand has none.
 */
function orderTiming(config: CbrClient['config']): { timeoutMs: number; pollMs: number } {
  return {
    timeoutMs: config.orderTimeoutMs ?? SETTINGS.cbrOrderTimeoutMs.default,
    pollMs: config.orderPollMs ?? SETTINGS.cbrOrderPollMs.default,
  };
}

async function waitForVault(client: CbrClient, spec: VaultSpec, key: string, timeoutMs: number, pollMs: number): Promise<Vault | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await readVault(client, spec, key);
    if (found || Date.now() + pollMs > deadline) return found;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Orders a yearly/monthly vault (4.5.14) and waits until the order has produced it; `vault` is
 * undefined when it has not appeared in time. An order whose answer may have been lost is never
 * posted again: the vault it may have placed is waited for like any other.
 */
async function orderVault(client: CbrClient, spec: VaultSpec, key: string): Promise<{ vault?: Vault; orderId: string; waitedMs: number }> {
  const { timeoutMs, pollMs } = orderTiming(client.config);
  const order = await createOnce(async () => {
    const res = await client.orderVault(createBody(spec, key));
    const first = res.orders?.[0];
    if ((res.retCode !== undefined && res.retCode !== 0) || (first && first.subscribeResult === 0)) {
      throw new HookError(`the order for vault "${spec.name}" failed: ${res.errText || `retCode ${res.retCode}`} (error_code ${res.error_code ?? 'none'})`);
    }
    return { orderId: first?.orderId ?? '' };
  }, async () => ({ orderId: '' })); // after an answer that may have been lost, never order again: the vault may still come

  return { vault: await waitForVault(client, spec, key, timeoutMs, pollMs), orderId: order.orderId, waitedMs: timeoutMs };
}
