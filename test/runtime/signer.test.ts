import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import * as legacyUrl from 'node:url';
// The official Huawei signer, used only here as the reference implementation.
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { request } from 'undici';
import {
  canonicalRequest, computeSignature, formatSdkDate, parseAuthorization, parseSdkDate, signRequest,
  SIGNING_ALGORITHM, stringToSign,
} from '../../src/api/cbr/signer';

const AK = 'HPUAXXXXEXAMPLEAK01';
const SK = 'sEcReTkEy/+=Example0123456789abcdefghij';
const DATE = new Date(Date.UTC(2024, 3, 16, 9, 53, 41));
const SDK_DATE = '20240416T095341Z';
// CanonicalURI/CanonicalQueryString are protected in the SDK's typings; reach them through an untyped view.
const official = AKSKSigner as unknown as {
  CanonicalURI(path: string): string;
  CanonicalQueryString(req: { queryParams: Record<string, string | string[]> }): string;
};

type QueryValue = string | string[];
interface Case {
  readonly name: string;
  readonly method: string;
  readonly base: string;
  readonly path: string;
  readonly query?: Record<string, QueryValue>;
  readonly headers?: Record<string, string>;
  readonly data?: unknown;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function officialSign(c: Case): Record<string, string> {
  const queryParams: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(c.query ?? {})) queryParams[k] = Array.isArray(v) ? [...v] : v;
  return AKSKSigner.sign({
    endpoint: c.base + c.path,
    method: c.method,
    headers: { ...(c.headers ?? {}), 'X-Sdk-Date': SDK_DATE },
    queryParams,
    data: c.data,
  } as never, { getAk: () => AK, getSk: () => SK } as never) as Record<string, string>;
}

function ours(c: Case) {
  return {
    method: c.method,
    url: c.base + c.path + queryString(c.query),
    headers: { ...(c.headers ?? {}) },
    body: c.data === undefined ? '' : JSON.stringify(c.data),
  };
}

const JSON_CT = { 'Content-Type': 'application/json' };
const BASE = 'https://cbr.ap-southeast-1.myhuaweicloud.com';
const CASES: Case[] = [
  { name: 'GET list vaults with query', method: 'GET', base: BASE, path: '/v3/0605767xxx/vaults', query: { limit: '100', offset: '0', object_type: 'server' }, headers: JSON_CT },
  { name: 'GET with no query and no headers', method: 'GET', base: BASE, path: '/v3/0605767xxx/policies' },
  { name: 'GET with trailing slash', method: 'GET', base: BASE, path: '/v3/0605767xxx/vaults/' },
  { name: 'GET root path', method: 'GET', base: BASE, path: '/' },
  { name: 'GET with repeated query keys', method: 'GET', base: BASE, path: '/v3/p/vaults', query: { id: ['zz', 'aa', 'mm'], name: 'b' } },
  { name: 'GET with empty query values', method: 'GET', base: BASE, path: '/v3/p/vaults', query: { name: '', limit: '5', empty: ['', 'x'] } },
  { name: 'GET with special characters in query', method: 'GET', base: BASE, path: '/v3/p/vaults', query: { 'name': 'a b+c/d?e&f=g%h~*\'()!', 'k y': 'ünï©ødé 😀' } },
  { name: 'GET with percent-encoded path segments', method: 'GET', base: BASE, path: '/v3/p/vaults/na%20me%2Fx/%E4%B8%AD' },
  { name: 'GET with unreserved and sub-delims in path', method: 'GET', base: BASE, path: '/v3/p/vaults/a-b_c.d~e!f*g(h)i:j@k,l;m=n$o&p+q' },
  { name: 'GET with raw quote and space in path', method: 'GET', base: BASE, path: '/v3/p/vaults/it\'s a {x}' },
  { name: 'GET with explicit port', method: 'GET', base: 'http://127.0.0.1:8080', path: '/v3/p/vaults', query: { limit: '1' } },
  { name: 'GET with upper-case host', method: 'GET', base: 'https://CBR.Example.COM', path: '/v3/p/vaults' },
  { name: 'POST create vault with JSON body', method: 'POST', base: BASE, path: '/v3/p/vaults', headers: JSON_CT, data: { vault: { name: 'vault-1', billing: { size: 100, object_type: 'server' }, resources: [] } } },
  { name: 'POST with unicode body', method: 'POST', base: BASE, path: '/v3/p/policies', headers: JSON_CT, data: { policy: { name: '备份策略-ü-😀', enabled: true } } },
  { name: 'POST with extra headers of mixed case', method: 'POST', base: BASE, path: '/v3/p/vaults', headers: { ...JSON_CT, 'X-Project-Id': 'P1', 'X-Language': 'en-us' }, data: { a: 1 } },
  { name: 'PUT update policy', method: 'PUT', base: BASE, path: '/v3/p/policies/cbbbbc4b-3d0b-4de6-9ef1-43d9b9a0a7e2', headers: JSON_CT, data: { policy: { enabled: false } } },
  { name: 'DELETE vault', method: 'DELETE', base: BASE, path: '/v3/p/vaults/ad7627ae-5b0b-492e-b6bd-cd809b745197', headers: JSON_CT },
  { name: 'DELETE with query', method: 'DELETE', base: BASE, path: '/v3/p/vaults/x', query: { force: 'true' } },
  { name: 'POST with UNSIGNED-PAYLOAD', method: 'POST', base: BASE, path: '/v3/p/vaults', headers: { ...JSON_CT, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' }, data: { a: 'b' } },
];

describe('signRequest matches the official Huawei SDK signer', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const expected = officialSign(c);
    const added = signRequest(ours(c), AK, SK, DATE);
    expect(added.Authorization).toEqual(expected.Authorization);
    expect(added['X-Sdk-Date']).toEqual(SDK_DATE);
    expect(added.host).toEqual(expected.host);
  });

  test('computeSignature reproduces the official signature from the signed headers', () => {
    for (const c of CASES) {
      const auth = parseAuthorization(officialSign(c).Authorization)!;
      const req = ours(c);
      const sig = computeSignature({ ...req, headers: { ...req.headers, 'X-Sdk-Date': SDK_DATE } }, auth.signedHeaders, SDK_DATE, SK);
      expect(sig).toEqual(auth.signature);
    }
  });

  test('canonical URI and query equal the official ones', () => {
    for (const c of CASES) {
      const req = ours(c);
      const lines = canonicalRequest(req, []).split('\n');
      expect(lines[0]).toEqual(c.method);
      const pathname = legacyUrl.parse(c.base + c.path).pathname as string;
      expect(lines[1]).toEqual(official.CanonicalURI(pathname));
      const queryParams: Record<string, QueryValue> = {};
      for (const [k, v] of Object.entries(c.query ?? {})) queryParams[k] = Array.isArray(v) ? [...v] : v;
      expect(lines[2]).toEqual(official.CanonicalQueryString({ queryParams }));
    }
  });
});

describe('canonicalRequest', () => {
  const req = { method: 'post', url: 'https://h.example/v3/p/vaults?b=2&a=1&a=0', headers: { 'Content-Type': ' application/json ', 'Host': 'h.example', 'X-Sdk-Date': SDK_DATE }, body: '{}' };

  test('lower-cases and trims headers, sorts the query, adds the trailing slash and hashes the body', () => {
    expect(canonicalRequest(req, ['content-type', 'host', 'x-sdk-date'])).toEqual([
      'POST',
      '/v3/p/vaults/',
      'a=0&a=1&b=2',
      'content-type:application/json\nhost:h.example\nx-sdk-date:20240416T095341Z\n',
      'content-type;host;x-sdk-date',
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    ].join('\n'));
  });

  test('treats a key without "=" as an empty value and ignores the fragment', () => {
    const lines = canonicalRequest({ ...req, url: 'https://h.example/x?flag&b=&a=1#frag' }, []).split('\n');
    expect(lines[1]).toEqual('/x/');
    expect(lines[2]).toEqual('a=1&b=&flag=');
  });

  test('signs the URL host when the request has no Host header', () => {
    const lines = canonicalRequest({ method: 'GET', url: 'http://user@LOCALHOST:9000', headers: {}, body: '' }, ['host']).split('\n');
    expect(lines[1]).toEqual('/');
    expect(lines[3]).toEqual('host:localhost:9000');
  });

  test('stringToSign hashes the canonical request', () => {
    expect(stringToSign('abc', SDK_DATE)).toEqual(
      `${SIGNING_ALGORITHM}\n${SDK_DATE}\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`);
  });
});

describe('signRequest', () => {
  test('ignores a stale Authorization and X-Sdk-Date and keeps a given Host', () => {
    const added = signRequest({
      method: 'GET',
      url: 'http://127.0.0.1:1/v3/p/vaults',
      headers: { 'authorization': 'old', 'x-sdk-date': '19990101T000000Z', 'Host': 'cbr.example' },
      body: '',
    }, AK, SK, DATE);
    expect(added.host).toBeUndefined();
    expect(parseAuthorization(added.Authorization)!.signedHeaders).toEqual(['host', 'x-sdk-date']);
  });

  test('leaves a multipart content type unsigned', () => {
    const added = signRequest({ method: 'POST', url: 'https://h/x', headers: { 'Content-Type': 'multipart/form-data; boundary=z' }, body: 'x' }, AK, SK, DATE);
    expect(parseAuthorization(added.Authorization)!.signedHeaders).toEqual(['host', 'x-sdk-date']);
  });

  test('a different secret key or a changed body gives a different signature', () => {
    const r = { method: 'POST', url: 'https://h/x', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' };
    const base = signRequest(r, AK, SK, DATE).Authorization;
    expect(signRequest(r, AK, SK + 'x', DATE).Authorization).not.toEqual(base);
    expect(signRequest({ ...r, body: '{"a":2}' }, AK, SK, DATE).Authorization).not.toEqual(base);
  });
});

describe('SDK dates', () => {
  test('formats and parses the basic ISO form', () => {
    expect(formatSdkDate(DATE)).toEqual(SDK_DATE);
    expect(parseSdkDate(SDK_DATE)!.getTime()).toEqual(DATE.getTime());
  });

  test.each(['', '2024-04-16T09:53:41Z', '20241316T095341Z', '20240416T256341Z', '20240416T095341', '20240230T000000Z'])(
    'rejects %j', (s) => expect(parseSdkDate(s)).toBeUndefined());
});

describe('parseAuthorization', () => {
  test('reads access key, signed headers and signature', () => {
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-sdk-date, Signature=ABCdef01')).toEqual({
      accessKey: 'AK1', signedHeaders: ['content-type', 'host', 'x-sdk-date'], signature: 'abcdef01',
    });
  });

  test.each([
    '', 'Bearer x', 'SDK-HMAC-SHA256', 'SDK-HMAC-SHA256 Access=AK', 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host',
    'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=nothex', 'SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=ab',
    'SDK-HMAC-SHA256 garbage, SignedHeaders=host, Signature=ab',
  ])('returns undefined for %j', (v) => expect(parseAuthorization(v)).toBeUndefined());
});

describe('server-side verification of a request sent over HTTP', () => {
  test('a signature computed from the received method, raw path, headers and body matches', async () => {
    const seen: Array<{ ok: boolean }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        const auth = parseAuthorization(String(req.headers.authorization))!;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
        const expected = computeSignature({ method: req.method!, url: `http://${req.headers.host}${req.url}`, headers, body },
          auth.signedHeaders, String(req.headers['x-sdk-date']), SK);
        seen.push({ ok: expected === auth.signature });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/v3/p%20x/policies?name=${encodeURIComponent('备份 a+b')}&limit=10&name=`;
      const body = JSON.stringify({ policy: { name: '备份策略 😀' } });
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      Object.assign(headers, signRequest({ method: 'POST', url, headers, body }, AK, SK));
      const res = await request(url, { method: 'POST', headers, body });
      await res.body.dump();
      expect(seen).toEqual([{ ok: true }]);
    } finally {
      server.close();
    }
  });
});
