import { createHash, createHmac } from 'node:crypto';

/**
 * Huawei Cloud "SDK-HMAC-SHA256" AK/SK request signing (API Request Signing Guide).
 *
 * Used on both sides: the client signs outgoing requests, the emulator recomputes the signature
 * of the request as received and compares. Canonicalization follows the official Node.js SDK
 * signer (@huaweicloud/huaweicloud-sdk-core AKSKSigner), which the tests cross-check.
 */

export interface SignableRequest {
  readonly method: string;
  /** Absolute URL including the query string, e.g. `https://cbr.x.myhuaweicloud.com/v3/p/vaults?limit=10`. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

const HEADER_DATE = 'x-sdk-date';
const HEADER_CONTENT_SHA256 = 'x-sdk-content-sha256';
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** `20240416T095341Z`: the basic ISO 8601 UTC form of X-Sdk-Date. */
export function formatSdkDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function parseSdkDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  // Date.UTC rolls over out-of-range fields (month 13, hour 25); reject those instead.
  return formatSdkDate(date) === s.trim() ? date : undefined;
}

// Unreserved characters (RFC 3986) stay as they are; everything else is %XX of its UTF-8 bytes.
const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

function uriEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (UNRESERVED.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
      }
    }
  }
  return out;
}

/**
 * Characters that Node's legacy `url.parse` (used by the official signer) percent-escapes in a raw
 * path before signing; escaping them the same way keeps our canonical path byte-identical.
 */
const AUTO_ESCAPED = /['{}|^`<>" \t\r\n]/g;

function splitUrl(url: string): { authority: string; path: string; query: string } {
  let rest = url;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rest);
  let authority = '';
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    const end = rest.search(/[/?]/);
    authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
  }
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  return { authority, path, query };
}

/** The host the official signer signs when no Host header is given: the URL's authority as written. */
function hostOf(url: string): string {
  const { authority } = splitUrl(url);
  const at = authority.lastIndexOf('@');
  return (at >= 0 ? authority.slice(at + 1) : authority).toLowerCase();
}

function canonicalUri(rawPath: string): string {
  const path = (rawPath || '/').replace(AUTO_ESCAPED, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  const encoded = path.split('/').map(uriEncode).join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed %-sequence: sign it as written rather than fail
  }
}

/** Sorted by decoded key, repeated keys' values sorted too, each part URI-encoded; `k` alone means `k=`. */
function canonicalQuery(rawQuery: string): string {
  const params = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    const values = params.get(key);
    if (values) values.push(value); else params.set(key, [value]);
  }
  // Plain code-unit ordering, as Array.prototype.sort() does in the official signer.
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const out: string[] = [];
  for (const key of [...params.keys()].sort(byCodeUnit)) {
    for (const value of params.get(key)!.sort(byCodeUnit)) {
      out.push(`${uriEncode(key)}=${uriEncode(value)}`);
    }
  }
  return out.join('&');
}

function lowerCaseHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && v !== null) out.set(k.toLowerCase(), String(v));
  }
  return out;
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/**
 * The canonical request: method, canonical URI (each path segment URI-encoded, trailing slash),
 * canonical query, `name:value` lines for the signed headers, their names, and the payload hash.
 * `signedHeaders` are used in the order given (the Authorization header's order), lower-cased.
 */
export function canonicalRequest(req: SignableRequest, signedHeaders: string[]): string {
  const { path, query } = splitUrl(req.url);
  const headers = lowerCaseHeaders(req.headers);
  const names = signedHeaders.map((h) => h.trim().toLowerCase());
  const headerLines = names.map((name) => {
    const value = name === 'host' && !headers.has('host') ? hostOf(req.url) : headers.get(name) ?? '';
    return `${name}:${value.trim()}\n`;
  }).join('');
  // A caller-provided X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) replaces the body hash.
  const payloadHash = headers.get(HEADER_CONTENT_SHA256) ?? (req.body ? sha256Hex(req.body) : EMPTY_BODY_SHA256);
  return [
    req.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    headerLines,
    names.join(';'),
    payloadHash,
  ].join('\n');
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** Hex HMAC-SHA256 of the string to sign, keyed by the secret key. */
export function computeSignature(req: SignableRequest, signedHeaders: string[], sdkDate: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(stringToSign(canonicalRequest(req, signedHeaders), sdkDate), 'utf8').digest('hex');
}

/**
 * Signs every header of the request plus `host` and `x-sdk-date` (multipart content types are left
 * unsigned, as the official signer does). Any Authorization or X-Sdk-Date already in `req.headers`
 * is ignored. Returns the headers the caller must add or replace: `X-Sdk-Date`, `Authorization`,
 * and `host` when the request has none.
 */
export function signRequest(req: SignableRequest, accessKey: string, secretKey: string, now: Date = new Date()): Record<string, string> {
  const sdkDate = formatSdkDate(now);
  const headers: Record<string, string> = {};
  for (const [k, v] of lowerCaseHeaders(req.headers)) {
    if (k === 'authorization' || k === HEADER_DATE) continue;
    if (k === 'content-type' && v.includes('multipart/form-data')) continue;
    headers[k] = v;
  }
  const added: Record<string, string> = { 'X-Sdk-Date': sdkDate };
  if (headers.host === undefined) {
    headers.host = hostOf(req.url);
    added.host = headers.host;
  }
  headers[HEADER_DATE] = sdkDate;
  const signed = Object.keys(headers).sort();
  const signature = computeSignature({ ...req, headers }, signed, sdkDate, secretKey);
  added.Authorization = `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return added;
}

/** Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined when malformed. */
export function parseAuthorization(value: string): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^\s*SDK-HMAC-SHA256\s+(.*)$/s.exec(value);
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const { Access: accessKey, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!accessKey || !signedHeaders || !signature || !/^[0-9a-f]+$/i.test(signature)) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter((h) => h), signature: signature.toLowerCase() };
}
