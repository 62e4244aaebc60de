/**
 * Error answers of the CBR API: `{ error_code, error_msg }` (API reference 3.3), with the codes of
 * section 7.2 wherever one fits. The emulator answers with them; the request tables of src/api name
 * them for violations of a field's value.
 */

export interface ErrorDef {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

function def(status: number, code: string, message: string): ErrorDef {
  return { status, code, message };
}

/** Codes from section 7.2 "Error Codes" of the CBR API reference, with their documented status and message. */
export const CBR_ERRORS = {
  PARAMETER: def(400, 'BackupService.9900', 'Parameter verification failed.'),
  MAX_VAULT_RESOURCES: def(400, 'BackupService.6100', 'The maximum number of vault resources has been reached.'),
  VAULT_CAPACITY: def(400, 'BackupService.6101', 'Invalid vault capacity.'),
  RESOURCE_TYPE_NOT_SUPPORTED: def(400, 'BackupService.6102', 'The vault does not support this resource type.'),
  RESOURCE_ALREADY_ASSOCIATED: def(400, 'BackupService.6103', 'The resource has been associated with a vault.'),
  DUPLICATE_RESOURCES: def(400, 'BackupService.6104', 'Duplicate vault resources.'),
  // 7.2 words it "Unsupported resource type." but its handling measure is "Enter a valid protect type value."
  PROTECT_TYPE: def(400, 'BackupService.6116', 'Unsupported resource type.'),
  POLICY_TYPE: def(400, 'BackupService.6117', 'Unknown policy type.'),
  POLICY_NOT_APPLICABLE: def(400, 'BackupService.6127', 'This policy cannot be applied to this vault.'),
  HYBRID_POLICY: def(400, 'BackupService.6136', 'Backup policies cannot be applied with hybrid cloud backup vaults.'),
  DESTINATION_REGION_LOCKED: def(400, 'BackupService.6003',
    'The destination region cannot be changed because the policy has been applied to a replication vault.'),
  MAX_TAGS: def(400, 'BackupService.6600', 'The maximum number of tags has been reached for the resource.'),
  MAX_POLICIES_OF_TYPE: def(400, 'BackupService.6001', 'The maximum number of this type of policies has been reached.'),
  DESTINATION_NOT_REPLICATION: def(400, 'BackupService.6119', 'The destination vault does not support replication.'),
  BACKUP_NOT_ALLOWED_FOR_VAULT_TYPE: def(400, 'BackupService.6124', 'Backup is not allowed for the current type of vaults.'),
  DESTINATION_VAULT_NOT_FOUND: def(400, 'BackupService.6120', 'The destination vault does not exist.'),
  RESOURCE_NOT_IN_VAULT: def(400, 'BackupService.6135', 'The resource does not exist in the vault.'),
  POLICY_NOT_FOUND: def(404, 'BackupService.6000', 'The policy does not exist.'),
  POLICY_NOT_APPLIED: def(404, 'BackupService.6002', 'The vault is not applied with the policy.'),
  VAULT_NOT_FOUND: def(404, 'BackupService.6105', 'The vault does not exist.'),
  RESOURCE_NOT_FOUND: def(404, 'BackupService.6302', 'The resource does not exist.'),
  OPERATION_LOG_NOT_FOUND: def(404, 'BackupService.6500', 'The operation log does not exist.'),
  TAG_KEY_NOT_FOUND: def(404, 'BackupService.6601', 'The key does not exist.'),
  /**
   * The tag APIs' own answer to an unknown vault: the 4.7.5 example response for status 400 is
   * `{"error_code": "BackupService.9900", "error_msg": "Invalid vault_id provided."}`, and the 4.7
   * status-code tables list 400, not 404.
   */
  TAG_VAULT_INVALID: def(400, 'BackupService.9900', 'Invalid vault_id provided.'),
  UNKNOWN: def(500, 'BackupService.9910', 'Unknown error.'),
} as const;

/**
 * Gateway and IAM errors. NOT in section 7.2, which sends APIGW.* codes to the API Gateway
 * error-code page and does not cover IAM at all. APIGW.0101/0201/0301/0302 and IAM.0007 follow
 * the API Gateway and IAM references; IAM.0004 is a stand-in (real IAM answers a wrong password
 * in Keystone's `{error: {code, message, title}}` form, while this emulator keeps the single
 * `{error_code, error_msg}` shape of the CBR document's section 3.3).
 */
export const GATEWAY_ERRORS = {
  API_NOT_FOUND: def(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment.'),
  AUTHENTICATION: def(401, 'APIGW.0301', 'Incorrect IAM authentication information:'),
  FORBIDDEN: def(403, 'APIGW.0302', 'The IAM user is not authorized to access the API.'),
  BODY_TOO_LARGE: def(413, 'APIGW.0201', 'Request entity too large.'),
  /** API Gateway's throttling answer (Huawei Cloud FAQ "APIG.0308"), sent by the throttle fault. */
  THROTTLED: def(429, 'APIG.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:XX,time:1 second'),
  IAM_PARAMETER: def(400, 'IAM.0007', 'Request parameter is invalid.'),
  IAM_WRONG_CREDENTIALS: def(401, 'IAM.0004', 'The username or password is wrong.'),
} as const;

/** An answer with an error body (3.3): its status, `error_code` and `error_msg`. */
export class ApiError extends Error {
  public readonly status: number;
  public readonly code: string;

  constructor(error: ErrorDef, detail?: string) {
    super(detail ? `${error.message} ${detail}` : error.message);
    this.status = error.status;
    this.code = error.code;
  }

  public toBody(): { error_code: string; error_msg: string } {
    return { error_code: this.code, error_msg: this.message };
  }
}

/** Shorthand for the most common failure: BackupService.9900 naming the field. */
export function invalidParameter(detail: string): ApiError {
  return new ApiError(CBR_ERRORS.PARAMETER, detail);
}
