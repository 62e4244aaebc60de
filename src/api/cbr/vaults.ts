import * as z from 'zod/mini';
import { CHARGING_MODES, CLOUD_TYPES, CONSISTENT_LEVELS, OBJECT_TYPES, PERIOD_TYPES, PROTECT_TYPES, THRESHOLD_PERCENT, VAULT_SIZE_GB } from './catalog';
import { checkResourceTypes, MAX_RESOURCES_PER_CALL, RESOURCE_CREATE, ResourceCreate } from './resources';
import { VAULT_BIND_RULES, VAULT_TAGS } from './tags';
import { CBR_ERRORS, invalidParameter } from '../errors';
import { array, body, boolean, integer, object, required, Rule, string, uniqueBy } from '../table';

/**
 * Vaults: creating (4.5.1), ordering a yearly/monthly vault (4.5.14), listing (4.5.3), showing
 * (4.5.2), updating (4.5.4) and deleting (4.5.5). The vault's capacity, `billing.size`, is in GB.
 */

/** "period_type / period_num: This parameter is mandatory if charging_mode is set to pre_paid." */
const prePaidNeedsPeriod: Rule = (billing, path) => {
  if (billing.charging_mode !== 'pre_paid') return;
  for (const field of ['period_type', 'period_num']) {
    if (billing[field] === undefined || billing[field] === null) throw invalidParameter(`${path}.${field} is mandatory when charging_mode is pre_paid.`);
  }
};

/** Table 4-154 BillingCreate (also 4-262 of 4.5.14). */
export const BILLING_CREATE = object({
  cloud_type: string({ enum: CLOUD_TYPES }),
  consistent_level: required(string({ enum: CONSISTENT_LEVELS })),
  object_type: required(string({ enum: OBJECT_TYPES })),
  protect_type: required(string({ enum: PROTECT_TYPES, code: CBR_ERRORS.PROTECT_TYPE })),
  size: required(integer({ ...VAULT_SIZE_GB, code: CBR_ERRORS.VAULT_CAPACITY })),
  charging_mode: string({ enum: CHARGING_MODES }),
  period_type: string({ enum: PERIOD_TYPES }),
  period_num: integer({ min: 1 }),
  is_auto_renew: boolean(),
  is_auto_pay: boolean(),
  console_url: string({ min: 1, max: 255 }),
  is_multi_az: boolean(),
}, { rules: [prePaidNeedsPeriod] });

function billingOf(vault: Record<string, unknown>): Record<string, unknown> {
  return vault.billing as Record<string, unknown>;
}

/** "demand_billing: can be set to true only when a yearly/monthly vault is created." */
const demandBillingNeedsPrePaid: Rule = (vault, path) => {
  if (vault.demand_billing === true && billingOf(vault).charging_mode !== 'pre_paid') {
    throw invalidParameter(`${path}.demand_billing can be true only for a yearly/monthly (pre_paid) vault.`);
  }
};

/** "auto_expand: Only pay-per-use vaults support auto capacity expansion." */
const autoExpandNeedsPostPaid: Rule = (vault, path) => {
  if (vault.auto_expand === true && billingOf(vault).charging_mode === 'pre_paid') {
    throw invalidParameter(`${path}.auto_expand can be true only for a pay-per-use (post_paid) vault.`);
  }
};

const resourcesMatchObjectType: Rule = (vault, path) =>
  checkResourceTypes(vault.resources as ResourceCreate[], billingOf(vault).object_type as string, `${path}.resources`);

/** Table 4-153 VaultCreate. */
export const VAULT_CREATE = object({
  backup_policy_id: string(),
  billing: required(BILLING_CREATE),
  description: string({ min: 0, max: 64 }),
  name: required(string({ min: 1, max: 64 })),
  resources: required(array(RESOURCE_CREATE, { min: 0, max: 255, code: CBR_ERRORS.MAX_VAULT_RESOURCES })),
  tags: VAULT_TAGS,
  enterprise_project_id: string(),
  auto_bind: boolean(),
  bind_rules: VAULT_BIND_RULES,
  auto_expand: boolean(),
  /** Percent of the capacity at which SMN notifies. */
  threshold: integer(THRESHOLD_PERCENT),
  smn_notify: boolean(),
  backup_name_prefix: string({ min: 0, max: 32 }),
  demand_billing: boolean(),
  sys_lock_source_service: string({ enum: ['SMB', ''] }),
}, {
  rules: [
    uniqueBy('tags', 'key'),
    uniqueBy('resources', 'id', CBR_ERRORS.DUPLICATE_RESOURCES),
    demandBillingNeedsPrePaid,
    autoExpandNeedsPostPaid,
    resourcesMatchObjectType,
  ],
});
/** Request body of 4.5.1 (4-152). */
export const CREATE_VAULT = body('vault', VAULT_CREATE);
export type VaultCreate = z.input<typeof VAULT_CREATE>;
export type CreateVaultRequest = z.input<typeof CREATE_VAULT>;

/** "period_type / period_num ... mandatory if charging_mode is set to pre_paid", and this API is for pre_paid. */
const prePaidOnly: Rule = (vault, path) => {
  const billing = vault.billing as Record<string, unknown>;
  if (billing.charging_mode !== 'pre_paid') {
    throw invalidParameter(`${path}.billing.charging_mode must be pre_paid: this API creates yearly/monthly vaults (use POST /v3/{project_id}/vaults for pay-per-use); got ${JSON.stringify(billing.charging_mode ?? null)}.`);
  }
};

/** Table 4-261 VaultOrder (Table 4 of 003), with 4-268 VaultCreateParameters and 4-269 CombinedOrder. */
export const VAULT_ORDER = object({
  name: string({ min: 1, max: 64 }),
  billing: required(BILLING_CREATE),
  resources: required(array(RESOURCE_CREATE, { min: 0, max: MAX_RESOURCES_PER_CALL, code: CBR_ERRORS.MAX_VAULT_RESOURCES })),
  description: string({ min: 0, max: 255 }),
  backup_policy_id: string(),
  tags: VAULT_TAGS,
  enterprise_project_id: string(),
  auto_bind: boolean(),
  bind_rules: VAULT_BIND_RULES,
  threshold: integer(THRESHOLD_PERCENT),
  smn_notify: boolean(),
  parameters: object({
    combined_order: object({
      combined_order_id: string(),
      combined_order_ecs_num: integer({ min: 1, max: 1000 }),
      combined_order_num: integer({ min: 1, max: 1000 }),
    }),
  }),
  auto_expand: boolean(),
}, {
  rules: [
    prePaidOnly,
    uniqueBy('tags', 'key'),
    uniqueBy('resources', 'id', CBR_ERRORS.DUPLICATE_RESOURCES),
    autoExpandNeedsPostPaid,
    resourcesMatchObjectType,
  ],
});
/** Request body of 4.5.14 (4-260). */
export const ORDER_VAULT = body('vault', VAULT_ORDER);
export type OrderVaultRequest = z.input<typeof ORDER_VAULT>;

/** Tables 4-202 VaultUpdate and 4-203 BillingUpdate. */
export const VAULT_UPDATE = object({
  billing: object({
    consistent_level: string({ enum: CONSISTENT_LEVELS }),
    size: integer({ min: 1, max: VAULT_SIZE_GB.max, code: CBR_ERRORS.VAULT_CAPACITY }),
  }),
  name: string({ min: 1, max: 64 }),
  auto_bind: boolean(),
  bind_rules: VAULT_BIND_RULES,
  auto_expand: boolean(),
  smn_notify: boolean(),
  threshold: integer(THRESHOLD_PERCENT),
});
/** Request body of 4.5.4 (4-201). */
export const UPDATE_VAULT = body('vault', VAULT_UPDATE);
export type VaultUpdate = z.input<typeof VAULT_UPDATE>;
export type UpdateVaultRequest = z.input<typeof UPDATE_VAULT>;
