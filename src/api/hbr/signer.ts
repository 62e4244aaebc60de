import { createHmac, randomUUID } from 'node:crypto';

/**
 * Alibaba Cloud "RPC" request signing, signature version 1.0 (HMAC-SHA1), as the official SDKs do
 * it for RPC-style APIs such as HBR (`@alicloud/openapi-client` doRPCRequest with
 * `@alicloud/openapi-util` getRPCSignature):
 *
 *   1. every parameter that is sent (common ones, action ones, query and form body alike), Signature
 *      excepted, is percent-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay literal, space is %20);
 *   2. the encoded pairs are sorted by parameter name and joined as `k=v&k=v` (the canonicalized query);
 *   3. StringToSign = METHOD + "&" + encode("/") + "&" + encode(canonicalized query);
 *   4. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
 */

export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/** RFC 3986 percent-encoding: encodeURIComponent also escapes ! ' ( ) *. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Sorted `k=v` pairs, both percent-encoded; names compare by code point, like the SDKs' sort. */
export function canonicalizedQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
}

export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

export function rpcSignature(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}

/** ISO 8601 in UTC without milliseconds, e.g. 2024-03-03T12:00:00Z (the Timestamp parameter). */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface RpcSignInput {
  readonly method: string;
  readonly action: string;
  readonly version: string;
  /** The action's own parameters, already flattened to strings. */
  readonly params: Readonly<Record<string, string>>;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token, sent as SecurityToken when set. */
  readonly securityToken?: string;
  /** @default new Date() */
  readonly now?: Date;
  /** @default a random UUID */
  readonly nonce?: string;
}

export interface SignedRpcParams {
  /** The common parameters plus Signature: what goes into the query string. */
  readonly common: Record<string, string>;
  /** The action's parameters (unchanged): what goes into the form body. */
  readonly params: Record<string, string>;
  readonly stringToSign: string;
}

/** Builds the common parameters of an RPC call and signs them together with the action's parameters. */
export function signRpc(input: RpcSignInput): SignedRpcParams {
  const common: Record<string, string> = {
    Action: input.action,
    Version: input.version,
    Format: 'JSON',
    AccessKeyId: input.accessKeyId,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    SignatureNonce: input.nonce ?? randomUUID(),
    Timestamp: rpcTimestamp(input.now ?? new Date()),
  };
  if (input.securityToken) common.SecurityToken = input.securityToken;
  const params = { ...input.params };
  for (const k of Object.keys(common)) {
    if (k in params) throw new Error(`parameter ${k} is a common RPC parameter and cannot be set by the action`);
  }
  const all = { ...params, ...common };
  const stringToSign = rpcStringToSign(input.method, all);
  common.Signature = createHmac('sha1', `${input.accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
  return { common, params, stringToSign };
}

/** `k=v&k=v` with RFC 3986 encoding, in insertion order (for query strings and form bodies). */
export function formEncode(params: Readonly<Record<string, string>>): string {
  return Object.entries(params).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}
