import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RpcError } from '../../api/hbr/errors';
import { percentEncode, rpcStringToSign } from '../../api/hbr/signer';

/**
 * Authentication of Alibaba Cloud RPC calls, both ways the official SDKs sign them:
 *
 * - signature version 1.0 (`SignatureMethod=HMAC-SHA1`, `Signature` parameter): what
 *   `@alicloud/openapi-client` does in doRPCRequest (signatureAlgorithm "v2") and what our hook runtime does;
 * - ACS3-HMAC-SHA256 (`Authorization` header, x-acs-* headers): what `@alicloud/openapi-client`
 *   does by default in callApi/doRequest.
 */

/** One fake AccessKey pair the emulator accepts. */
export interface HbrCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** Fake test credentials; they grant nothing anywhere but in the emulator. */
export const DEFAULT_HBR_CREDENTIALS: HbrCredentials = {
  accessKeyId: 'LTAIEMULATORHBR00001',
  accessKeySecret: 'emulator-hbr-access-key-secret',
};

/** Timestamps further than this from the emulator's clock are rejected, and nonces remembered this long. */
export const SIGNATURE_WINDOW_MS = 15 * 60_000;

export interface RpcCall {
  readonly action: string;
  readonly version: string;
  /** Action parameters (common ones removed). */
  readonly params: Record<string, string>;
  readonly accessKeyId: string;
  /** Which signing scheme the caller used. */
  readonly scheme: 'v1' | 'acs3';
}

/** Parameters that belong to the RPC protocol rather than to an action. */
export const COMMON_PARAMS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp',
  'Signature', 'SecurityToken', 'SignatureType', 'RegionId',
]);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export class RpcAuthenticator {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly credentials: readonly HbrCredentials[]) {}

  /**
   * Checks the signature of a call and returns it with its parameters; throws RpcError with the
   * code the service would return (MissingX, InvalidAccessKeyId.NotFound, InvalidTimeStamp.Expired,
   * SignatureNonceUsed, SignatureDoesNotMatch, ...).
   */
  authenticate(input: {
    method: string;
    rawPath: string;
    headers: IncomingHttpHeaders;
    query: Array<[string, string]>;
    form: Array<[string, string]>;
    body: string;
  }, nowMs: number): RpcCall {
    const all: Record<string, string> = {};
    for (const [k, v] of [...input.query, ...input.form]) if (!(k in all)) all[k] = v;
    const auth = header(input.headers, 'authorization');
    if (auth && auth.startsWith('ACS3-')) return this.acs3(input, all, auth, nowMs);
    return this.v1(input.method, all, nowMs);
  }

  private secretOf(accessKeyId: string): string {
    const cred = this.credentials.find((c) => c.accessKeyId === accessKeyId);
    if (!cred) throw new RpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    return cred.accessKeySecret;
  }

  private checkTimestamp(value: string, nowMs: number): void {
    const m = TIMESTAMP.exec(value);
    if (!m) throw new RpcError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new RpcError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    if (Math.abs(nowMs - at) > SIGNATURE_WINDOW_MS) {
      throw new RpcError(400, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired (the emulator's time is ${new Date(nowMs).toISOString()}).`);
    }
  }

  private useNonce(accessKeyId: string, nonce: string, nowMs: number): void {
    for (const [k, at] of this.nonces) if (nowMs - at > SIGNATURE_WINDOW_MS) this.nonces.delete(k);
    const key = `${accessKeyId}\0${nonce}`;
    if (this.nonces.has(key)) throw new RpcError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.set(key, nowMs);
  }

  private v1(method: string, all: Record<string, string>, nowMs: number): RpcCall {
    for (const name of ['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureNonce', 'Timestamp']) {
      if (all[name] === undefined || all[name] === '') throw new RpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
    if (all.SignatureMethod !== 'HMAC-SHA1') {
      throw new RpcError(400, 'InvalidSignatureMethod', `Specified signature method ${JSON.stringify(all.SignatureMethod)} is not valid: use HMAC-SHA1.`);
    }
    if (all.SignatureVersion !== undefined && all.SignatureVersion !== '1.0') {
      throw new RpcError(400, 'InvalidSignatureVersion', `Specified signature version ${JSON.stringify(all.SignatureVersion)} is not valid: use 1.0.`);
    }
    const secret = this.secretOf(all.AccessKeyId);
    this.checkTimestamp(all.Timestamp, nowMs);
    const stringToSign = rpcStringToSign(method, all);
    const expected = createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
    if (!safeEqual(expected, all.Signature)) {
      throw new RpcError(400, 'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    this.useNonce(all.AccessKeyId, all.SignatureNonce, nowMs);
    return { action: all.Action, version: all.Version, params: actionParams(all), accessKeyId: all.AccessKeyId, scheme: 'v1' };
  }

  private acs3(input: { method: string; rawPath: string; headers: IncomingHttpHeaders; query: Array<[string, string]>; body: string },
    all: Record<string, string>, auth: string, nowMs: number): RpcCall {
    const m = /^(ACS3-HMAC-SHA256)\s+Credential=([^,]+),\s*SignedHeaders=([^,]*),\s*Signature=([0-9a-f]+)$/i.exec(auth.trim());
    if (!m) throw new RpcError(400, 'IncompleteSignature', 'The Authorization header is not a valid ACS3-HMAC-SHA256 signature.');
    const [, algorithm, accessKeyId, signedHeaderList, signature] = m;
    const h = (name: string) => header(input.headers, name);
    const action = h('x-acs-action');
    const version = h('x-acs-version');
    const date = h('x-acs-date');
    const nonce = h('x-acs-signature-nonce');
    const contentSha = h('x-acs-content-sha256');
    for (const [name, value] of [['x-acs-action', action], ['x-acs-version', version], ['x-acs-date', date],
      ['x-acs-signature-nonce', nonce], ['x-acs-content-sha256', contentSha]] as const) {
      if (!value) throw new RpcError(400, 'MissingParameter', `The header ${name} is mandatory for ACS3-HMAC-SHA256 requests.`);
    }
    const signed = signedHeaderList.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean);
    for (const required of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
      if (!signed.includes(required)) throw new RpcError(400, 'IncompleteSignature', `SignedHeaders must include ${required}.`);
    }
    const secret = this.secretOf(accessKeyId);
    this.checkTimestamp(date!, nowMs);
    const payloadHash = createHash('sha256').update(input.body, 'utf8').digest('hex');
    if (payloadHash !== contentSha!.toLowerCase()) {
      throw new RpcError(400, 'SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the SHA-256 of the request body.');
    }
    const sortedQuery = [...input.query].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonicalQuery = sortedQuery.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
    const canonicalHeaders = [...signed].sort().map((name) => `${name}:${(h(name) ?? '').trim()}\n`).join('');
    const canonicalUri = input.rawPath || '/';
    const canonicalRequest = [input.method.toUpperCase(), canonicalUri, canonicalQuery, canonicalHeaders, [...signed].sort().join(';'), payloadHash].join('\n');
    const stringToSign = `${algorithm.toUpperCase()}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
    const expected = createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
    if (!safeEqual(expected, signature.toLowerCase())) {
      throw new RpcError(400, 'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    this.useNonce(accessKeyId, nonce!, nowMs);
    return { action: action!, version: version!, params: actionParams(all), accessKeyId, scheme: 'acs3' };
  }
}

function actionParams(all: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (!COMMON_PARAMS.has(k)) out[k] = v;
  return out;
}
