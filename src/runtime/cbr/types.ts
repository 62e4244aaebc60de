/**
 * CBR v3 request and response bodies, with the API reference's own (snake_case) field names.
 * Table numbers refer to the API reference. Enumerations are typed `string` (values listed in the
 * comments): the service may add values, and specs carry them as plain strings.
 */

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/** Tag (4-157 request, 4-165 response). `value` is mandatory when adding, may be absent when read. */
export interface Tag {
  readonly key: string;
  readonly value?: string;
}

/** BindRulesTags (4-159). */
export interface BindRulesTag {
  readonly key: string;
  readonly value: string;
}

/** VaultBindRules (4-158): at most 5 tags. */
export interface VaultBindRules {
  readonly tags?: ReadonlyArray<BindRulesTag>;
}

/** ResourceExtraInfo (4-156). */
export interface ResourceExtraInfo {
  readonly exclude_volumes?: ReadonlyArray<string>;
}

/** Error body of every non-2xx answer (3.3, 7.2). */
export interface CbrErrorBody {
  readonly error_code?: string;
  readonly error_msg?: string;
}

// ---------------------------------------------------------------------------------------------
// Vaults (4.5.1 - 4.5.5)
// ---------------------------------------------------------------------------------------------

/** BillingCreate (4-154). */
export interface BillingCreate {
  /** public | hybrid */
  readonly cloud_type?: string;
  /** crash_consistent | app_consistent */
  readonly consistent_level: string;
  /** server | disk | turbo | workspace | vmware | rds | file */
  readonly object_type: string;
  /** backup | replication */
  readonly protect_type: string;
  /** GB, 10 - 10485760. */
  readonly size: number;
  /** post_paid (default) | pre_paid */
  readonly charging_mode?: string;
  /** year | month; mandatory for pre_paid. */
  readonly period_type?: string;
  /** Mandatory for pre_paid. */
  readonly period_num?: number;
  readonly is_auto_renew?: boolean;
  readonly is_auto_pay?: boolean;
  readonly console_url?: string;
  readonly is_multi_az?: boolean;
}

/** ResourceCreate (4-155). */
export interface ResourceCreate {
  readonly id: string;
  /** OS::Nova::Server | OS::Cinder::Volume | OS::Ironic::BareMetalServer | OS::Native::Server | OS::Sfs::Turbo | OS::Workspace::DesktopV2 */
  readonly type: string;
  readonly name?: string;
  readonly extra_info?: ResourceExtraInfo;
}

/** VaultCreate (4-153). */
export interface VaultCreate {
  readonly backup_policy_id?: string;
  readonly billing: BillingCreate;
  /** 0 - 64 characters. */
  readonly description?: string;
  /** 1 - 64 characters. */
  readonly name: string;
  /** `[]` when no resource is associated at creation; at most 255. */
  readonly resources: ReadonlyArray<ResourceCreate>;
  /** Not an empty list when given; at most 10 unique keys. */
  readonly tags?: ReadonlyArray<Tag>;
  readonly enterprise_project_id?: string;
  readonly auto_bind?: boolean;
  readonly bind_rules?: VaultBindRules;
  /** Pay-per-use vaults only. */
  readonly auto_expand?: boolean;
  /** Percent, 1 - 100, default 80. */
  readonly threshold?: number;
  /** Default true. */
  readonly smn_notify?: boolean;
  /** 0 - 32 characters. */
  readonly backup_name_prefix?: string;
  /** Yearly/monthly vaults only. Default false. */
  readonly demand_billing?: boolean;
  /** SMB or empty. */
  readonly sys_lock_source_service?: string;
}

/** Request body of 4.5.1 (4-152). */
export interface CreateVaultRequest {
  readonly vault: VaultCreate;
}

/** Billing (4-162, 4-174). */
export interface Billing {
  /** GB. */
  readonly allocated?: number;
  readonly charging_mode?: string;
  readonly cloud_type?: string;
  readonly consistent_level: string;
  readonly object_type: string;
  readonly order_id?: string;
  readonly product_id?: string;
  readonly protect_type: string;
  /** GB. */
  readonly size: number;
  readonly spec_code?: string;
  /** available | lock | frozen | deleting | error */
  readonly status?: string;
  readonly storage_unit?: string;
  /** MB. */
  readonly used?: number;
  readonly frozen_scene?: string;
  readonly is_multi_az?: boolean;
}

/** ResourceResp (4-163). */
export interface ResourceResp {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  readonly extra_info?: ResourceExtraInfo;
  /** available | error | protecting | restoring | removing */
  readonly protect_status?: string;
  readonly size?: number;
  readonly backup_size?: number;
  readonly backup_count?: number;
}

/** Vault (4-173), also VaultCreateResource (4-161). */
export interface Vault {
  readonly id: string;
  readonly name: string;
  readonly billing: Billing;
  readonly description?: string;
  readonly project_id?: string;
  readonly provider_id?: string;
  readonly resources?: ReadonlyArray<ResourceResp>;
  readonly tags?: ReadonlyArray<Tag>;
  /** Documented as a string, default "0"; the examples return the number 0. */
  readonly enterprise_project_id?: string | number;
  readonly auto_bind?: boolean;
  readonly bind_rules?: VaultBindRules;
  readonly user_id?: string;
  /** e.g. 2020-02-05T10:38:34.209782 */
  readonly created_at?: string;
  readonly auto_expand?: boolean;
  readonly smn_notify?: boolean;
  readonly threshold?: number;
  readonly sys_lock_source_service?: string;
  /** Returned by create (4-161) only. */
  readonly backup_name_prefix?: string;
  readonly demand_billing?: boolean;
  readonly cbc_delete_count?: number;
  readonly frozen?: boolean;
}

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

/** Response of 4.5.3 (4-191). */
export interface ListVaultsResponse {
  readonly vaults: Vault[];
  /** Total number of vaults matching the query, not the page size. */
  readonly count?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** BillingUpdate (4-203). */
export interface BillingUpdate {
  /** app_consistent | crash_consistent */
  readonly consistent_level?: string;
  /** GB, 1 - 10485760. */
  readonly size?: number;
}

/** VaultUpdate (4-202). */
export interface VaultUpdate {
  readonly billing?: BillingUpdate;
  readonly name?: string;
  readonly auto_bind?: boolean;
  readonly bind_rules?: VaultBindRules;
  readonly auto_expand?: boolean;
  readonly smn_notify?: boolean;
  readonly threshold?: number;
}

/** Request body of 4.5.4 (4-201). */
export interface UpdateVaultRequest {
  readonly vault: VaultUpdate;
}

/** Response body of 4.5.1, 4.5.2 and 4.5.4. */
export interface VaultResponse {
  readonly vault: Vault;
}

// ---------------------------------------------------------------------------------------------
// Policies (4.8.1 - 4.8.5)
// ---------------------------------------------------------------------------------------------

/** PolicyODCreate (4-351): scheduling and retention parameters. */
export interface PolicyOperationDefinition {
  /** 0 - 100; needs timezone; exclusive with retention_duration_days. */
  readonly day_backups?: number;
  readonly destination_project_id?: string;
  readonly destination_region?: string;
  readonly enable_acceleration?: boolean;
  /** -1 or 1 - 99999; exclusive with retention_duration_days. */
  readonly max_backups?: number;
  readonly month_backups?: number;
  /** -1 or 1 - 99999. */
  readonly retention_duration_days?: number;
  /** e.g. UTC+08:00 */
  readonly timezone?: string;
  readonly week_backups?: number;
  readonly year_backups?: number;
  /** -1 - 100. */
  readonly full_backup_interval?: number;
}

/** PolicyTriggerReq (4-352). */
export interface PolicyTriggerReq {
  readonly properties: {
    /** RFC 2445 rules, at most 24, e.g. FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=14;BYMINUTE=00 */
    readonly pattern: ReadonlyArray<string>;
  };
}

/** PolicyCreate (4-350). */
export interface PolicyCreate {
  /** Default true. */
  readonly enabled?: boolean;
  /** 1 - 64 letters, digits, "_" and "-". */
  readonly name: string;
  readonly operation_definition: PolicyOperationDefinition;
  /** backup | replication */
  readonly operation_type: string;
  readonly trigger: PolicyTriggerReq;
}

/** Request body of 4.8.1 (4-349). */
export interface CreatePolicyRequest {
  readonly policy: PolicyCreate;
}

/** PolicyTriggerResp (4-357). */
export interface PolicyTriggerResp {
  readonly id?: string;
  readonly name?: string;
  readonly properties: {
    readonly pattern: ReadonlyArray<string>;
    readonly start_time?: string;
  };
  /** time */
  readonly type?: string;
}

/** PolicyAssociateVault (4-359). */
export interface PolicyAssociateVault {
  readonly vault_id: string;
  readonly destination_vault_id?: string;
}

/** Policy (4-355). */
export interface Policy {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly operation_definition: PolicyOperationDefinition;
  /** backup | replication */
  readonly operation_type: string;
  readonly trigger: PolicyTriggerResp;
  readonly associated_vaults?: ReadonlyArray<PolicyAssociateVault>;
}

/** Query of 4.8.3 (4-369). The document lists no limit/offset: one call returns every policy. */
export interface ListPoliciesQuery {
  /** backup | replication */
  readonly operation_type?: string;
  readonly vault_id?: string;
}

/** Response of 4.8.3 (4-371). */
export interface ListPoliciesResponse {
  readonly policies: Policy[];
  readonly count?: number;
}

/** PolicyUpdate (4-380). operation_type cannot be changed. */
export interface PolicyUpdate {
  readonly enabled?: boolean;
  readonly name?: string;
  readonly operation_definition?: PolicyOperationDefinition;
  readonly trigger?: PolicyTriggerReq;
}

/** Request body of 4.8.4 (4-379). */
export interface UpdatePolicyRequest {
  readonly policy: PolicyUpdate;
}

/** Response body of 4.8.1, 4.8.2 and 4.8.4. */
export interface PolicyResponse {
  readonly policy: Policy;
}

// ---------------------------------------------------------------------------------------------
// IAM token (3.2 Token Authentication)
// ---------------------------------------------------------------------------------------------

/** The part of the IAM token response the client reads; the token itself is the X-Subject-Token header. */
export interface TokenResponse {
  readonly token?: {
    /** e.g. 2024-05-22T09:03:40.000000Z */
    readonly expires_at?: string;
    readonly issued_at?: string;
  };
}

/** Request of 4.5.8 (4-228): either policy_id or add_policy_ids. */
export interface AssociatePolicyRequest {
  readonly policy_id?: string;
  readonly add_policy_ids?: ReadonlyArray<string>;
  /** Mandatory for replication policies only. */
  readonly destination_vault_id?: string;
}

/** VaultPolicyResp (4-230, 4-235). */
export interface VaultPolicyResp {
  readonly vault_id: string;
  readonly policy_id: string;
  readonly destination_vault_id?: string;
}

/** CbcOrderResult (4-271). */
export interface CbcOrderResult {
  readonly cloudServiceId?: string;
  readonly orderId?: string;
  /** 1 succeeded, 0 failed. */
  readonly subscribeResult?: number;
  /** The pre-generated id of the yearly/monthly vault. */
  readonly resourceId?: string;
}

/** Response of 4.5.14 (4-270). */
export interface VaultOrderResponse {
  readonly orders?: ReadonlyArray<CbcOrderResult>;
  /** 0: success. */
  readonly retCode?: number;
  readonly errText?: string;
  /** "0": no error. */
  readonly error_code?: string;
}
