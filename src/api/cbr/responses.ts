import * as z from 'zod/mini';

/**
 * The CBR responses the hook reads, as zod schemas with the types inferred from them. They are read
 * leniently: unknown fields pass (the service may add some), and only the fields the hook reads are
 * typed; a response whose read field has another type fails with the API and the field named
 * (src/api/response.ts). Request tables are in the modules of each topic (vaults.ts, policies.ts, ...)
 * and are loaded by the emulator only, so the hook builds none of them.
 */

// ---- Vaults (4.5.1-4.5.4, 4.5.14) and tags (4.7.1, 4.7.5) ----

const TagResp = z.looseObject({ key: z.string(), value: z.optional(z.string()) });
const BindRulesResp = z.looseObject({ tags: z.optional(z.array(z.looseObject({ key: z.string(), value: z.string() }))) });

/** Billing (4-162, 4-174). `size` and `allocated` in GB, `used` in MB. */
export const Billing = z.looseObject({
  allocated: z.optional(z.number()),
  charging_mode: z.optional(z.string()),
  cloud_type: z.optional(z.string()),
  consistent_level: z.string(),
  object_type: z.string(),
  order_id: z.optional(z.string()),
  product_id: z.optional(z.string()),
  protect_type: z.string(),
  size: z.number(),
  spec_code: z.optional(z.string()),
  status: z.optional(z.string()),
  storage_unit: z.optional(z.string()),
  used: z.optional(z.number()),
  frozen_scene: z.optional(z.string()),
  is_multi_az: z.optional(z.boolean()),
});

/** ResourceResp (4-163). */
export const ResourceResp = z.looseObject({
  id: z.string(),
  type: z.string(),
  name: z.optional(z.string()),
  extra_info: z.optional(z.looseObject({ exclude_volumes: z.optional(z.array(z.string())) })),
  protect_status: z.optional(z.string()),
  size: z.optional(z.number()),
  backup_size: z.optional(z.number()),
  backup_count: z.optional(z.number()),
});

/** Vault (4-173), also VaultCreateResource (4-161). */
export const Vault = z.looseObject({
  id: z.string(),
  name: z.string(),
  billing: Billing,
  description: z.optional(z.string()),
  project_id: z.optional(z.string()),
  provider_id: z.optional(z.string()),
  resources: z.optional(z.array(ResourceResp)),
  tags: z.optional(z.array(TagResp)),
  /** Documented as a string, default "0"; the examples return the number 0. */
  enterprise_project_id: z.optional(z.union([z.string(), z.number()])),
  auto_bind: z.optional(z.boolean()),
  bind_rules: z.optional(BindRulesResp),
  user_id: z.optional(z.string()),
  created_at: z.optional(z.string()),
  auto_expand: z.optional(z.boolean()),
  smn_notify: z.optional(z.boolean()),
  threshold: z.optional(z.number()),
  sys_lock_source_service: z.optional(z.string()),
  backup_name_prefix: z.optional(z.string()),
  demand_billing: z.optional(z.boolean()),
  cbc_delete_count: z.optional(z.number()),
  frozen: z.optional(z.boolean()),
});
export type Vault = z.infer<typeof Vault>;
export type ResourceResp = z.infer<typeof ResourceResp>;
/** A tag as read back: `value` may be absent. */
export type VaultTag = z.infer<typeof TagResp>;
export type Billing = z.infer<typeof Billing>;

/** Response body of 4.5.1, 4.5.2 and 4.5.4. */
export const VaultResponse = z.looseObject({ vault: Vault });

/** Response of 4.5.3 (4-191). `count` is the number of vaults matching the query, not the page size. */
export const ListVaultsResponse = z.looseObject({
  vaults: z.optional(z.array(Vault)),
  count: z.optional(z.number()),
  limit: z.optional(z.number()),
  offset: z.optional(z.number()),
});

/** Query of 4.5.3 (4-189). */
export interface ListVaultsQuery {
  readonly cloud_type?: string;
  /** An enterprise project id, or all_granted_eps. */
  readonly enterprise_project_id?: string;
  readonly id?: string;
  /** 1 - 1000. */
  readonly limit?: number;
  readonly name?: string;
  readonly object_type?: string;
  readonly offset?: number;
  readonly policy_id?: string;
  readonly protect_type?: string;
  /** Comma-separated resource ids. */
  readonly resource_ids?: string;
  readonly status?: string;
}

/** Response of 4.5.14 (4-270): CbcOrderResult (4-271) per order; retCode 0 is success. */
export const VaultOrderResponse = z.looseObject({
  orders: z.optional(z.array(z.looseObject({
    cloudServiceId: z.optional(z.string()),
    orderId: z.optional(z.string()),
    /** 1 succeeded, 0 failed. */
    subscribeResult: z.optional(z.number()),
    /** The pre-generated id of the yearly/monthly vault. */
    resourceId: z.optional(z.string()),
  }))),
  retCode: z.optional(z.number()),
  errText: z.optional(z.string()),
  /** Table 4-270 types it as String ("0"), the example shows a number. */
  error_code: z.optional(z.union([z.string(), z.number()])),
});
export type VaultOrderResponse = z.infer<typeof VaultOrderResponse>;

/** 4.7.1 filter response: each vault with its tags. */
export const ResourceInstancesResponse = z.looseObject({
  resources: z.optional(z.array(z.looseObject({
    resource_detail: z.optional(z.looseObject({ vault: z.optional(Vault) })),
    tags: z.optional(z.array(TagResp)),
  }))),
});

/** 4.7.5. */
export const VaultTagsResponse = z.looseObject({ tags: z.optional(z.array(TagResp)) });

// ---- Policies (4.8.1-4.8.4) ----

/** The operation definition as the service echoes it: every field optional, numbers and strings as sent. */
const OperationDefinitionResp = z.looseObject({
  day_backups: z.optional(z.number()),
  destination_project_id: z.optional(z.string()),
  destination_region: z.optional(z.string()),
  enable_acceleration: z.optional(z.boolean()),
  max_backups: z.optional(z.number()),
  month_backups: z.optional(z.number()),
  retention_duration_days: z.optional(z.number()),
  timezone: z.optional(z.string()),
  week_backups: z.optional(z.number()),
  year_backups: z.optional(z.number()),
  full_backup_interval: z.optional(z.number()),
});

/** Policy (4-355), with PolicyTriggerResp (4-357) and PolicyAssociateVault (4-359). */
export const Policy = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  operation_definition: OperationDefinitionResp,
  operation_type: z.string(),
  trigger: z.looseObject({
    id: z.optional(z.string()),
    name: z.optional(z.string()),
    properties: z.looseObject({ pattern: z.array(z.string()), start_time: z.optional(z.string()) }),
    type: z.optional(z.string()),
  }),
  associated_vaults: z.optional(z.array(z.looseObject({ vault_id: z.string(), destination_vault_id: z.optional(z.string()) }))),
});
export type Policy = z.infer<typeof Policy>;

/** Response body of 4.8.1, 4.8.2 and 4.8.4. */
export const PolicyResponse = z.looseObject({ policy: Policy });

/** Response of 4.8.3 (4-371). The document lists no limit/offset: one call returns every policy. */
export const ListPoliciesResponse = z.looseObject({ policies: z.optional(z.array(Policy)), count: z.optional(z.number()) });

/** Query of 4.8.3 (4-369). */
export interface ListPoliciesQuery {
  /** backup | replication */
  readonly operation_type?: string;
  readonly vault_id?: string;
}

// ---- Resources (4.5.6, 4.5.7, 4.5.11, 4.5.13) ----

/** 4.5.7. */
export const AddResourcesResponse = z.looseObject({ add_resource_ids: z.optional(z.array(z.string())) });
/** 4.5.6. */
export const RemoveResourcesResponse = z.looseObject({ remove_resource_ids: z.optional(z.array(z.string())) });
/** 4.5.11. */
export const MigrateResourcesResponse = z.looseObject({ migrated_resources: z.optional(z.array(z.string())) });
/** 4.5.13. */
export const SetResourcesResponse = z.looseObject({ set_resource_ids: z.optional(z.array(z.string())) });

// ---- Applying policies (4.5.8) ----

/** VaultPolicyResp (4-230, 4-235). */
export const VaultPolicyResp = z.looseObject({
  vault_id: z.string(),
  policy_id: z.string(),
  destination_vault_id: z.optional(z.string()),
});
export type VaultPolicyResp = z.infer<typeof VaultPolicyResp>;

/** Response of 4.5.8. */
export const AssociatePolicyResponse = z.looseObject({ associate_policy: VaultPolicyResp });

// ---- IAM token (3.2) ----

/**
 * IAM token (3.2 Token Authentication): the part of the response the client reads. The token
 * itself is the X-Subject-Token header; a token lives 24 hours when `expires_at` is absent.
 */
export const TokenResponse = z.looseObject({
  token: z.optional(z.looseObject({
    /** e.g. 2024-05-22T09:03:40.000000Z */
    expires_at: z.optional(z.string()),
    issued_at: z.optional(z.string()),
  })),
});
