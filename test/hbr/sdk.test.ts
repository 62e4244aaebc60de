/**
 * Cross-checks with the official SDK (`@alicloud/openapi-client`, devDependency): our RPC signer
 * computes what the SDK computes, and the emulator accepts the SDK's calls in both of its signing
 * modes (signature 1.0 HMAC-SHA1 and the default ACS3-HMAC-SHA256) and rejects bad signatures.
 */
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import * as $Util from '@alicloud/tea-util';
import fc from 'fast-check';
import { REAL_CLOCK, startHbr, HbrTestEnv } from './support';
import { canonicalizedQuery, percentEncode, rpcSignature, rpcStringToSign, signRpc } from '../../src/api/hbr/signer';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';

describe('RPC signature 1.0 (HMAC-SHA1)', () => {
  test('the worked example of the Alibaba Cloud signature documentation', () => {
    // GET ECS DescribeRegions, AccessKeySecret "testsecret": the documented StringToSign and Signature.
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(rpcStringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26' +
      'SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26');
    expect(rpcSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(rpcSignature('GET', params, 'testsecret')).toBe(OpenApiUtil.getRPCSignature(params, 'GET', 'testsecret'));
  });

  test('percent-encoding follows RFC 3986 like the SDK: space %20, * %2A, ~ literal', () => {
    expect(percentEncode('a b*c~d!\'()+/=&é')).toBe('a%20b%2Ac~d%21%27%28%29%2B%2F%3D%26%C3%A9');
    expect(canonicalizedQuery({ b: '2', a: '1', Signature: 'ignored' })).toBe('a=1&b=2');
  });

  test('equals @alicloud/openapi-util getRPCSignature for arbitrary parameters', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,15}$/);
    fc.assert(fc.property(fc.dictionary(key, fc.fullUnicodeString({ maxLength: 30 }), { maxKeys: 12 }),
      fc.constantFrom('GET', 'POST'), fc.string({ minLength: 1, maxLength: 40 }), (params, method, secret) => {
        expect(rpcSignature(method, params, secret)).toBe(OpenApiUtil.getRPCSignature(params, method, secret));
      }), { numRuns: 300 });
  });

  test('signRpc signs the common and the action parameters together', () => {
    const signed = signRpc({
      method: 'POST',
      action: 'DescribeBackupClients',
      version: '2017-09-08',
      params: { ClientType: 'ECS_CLIENT', InstanceIds: '["i-1"]' },
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      now: new Date('2024-03-03T12:00:00.123Z'),
      nonce: 'n-1',
    });
    expect(signed.common).toMatchObject({
      Action: 'DescribeBackupClients',
      Version: '2017-09-08',
      Format: 'JSON',
      AccessKeyId: 'id',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'n-1',
      Timestamp: '2024-03-03T12:00:00Z',
    });
    const { Signature, ...unsigned } = signed.common;
    expect(Signature).toBe(OpenApiUtil.getRPCSignature({ ...unsigned, ...signed.params }, 'POST', 'secret'));
    expect(() => signRpc({ method: 'POST', action: 'X', version: 'v', params: { Timestamp: 'x' }, accessKeyId: 'a', accessKeySecret: 's' }))
      .toThrow(/common RPC parameter/);
  });
});

describe('the emulator accepts the official SDK', () => {
  let env: HbrTestEnv;
  beforeAll(async () => {
    // The SDK stamps its own wall-clock time, so the emulator runs on the real clock here.
    env = await startHbr({ config: { instances: [{ instanceId: 'i-sdk1' }, { instanceId: 'i-sdk2' }], transitionMs: 50 } }, REAL_CLOCK);
  });
  afterAll(async () => { await env.close(); });

  function sdk(signatureAlgorithm?: string, secret = DEFAULT_HBR_CREDENTIALS.accessKeySecret): OpenApi {
    return new OpenApi(new $OpenApi.Config({
      accessKeyId: DEFAULT_HBR_CREDENTIALS.accessKeyId,
      accessKeySecret: secret,
      endpoint: new URL(env.url).host,
      protocol: 'HTTP',
      ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
    }));
  }

  function params(action: string): $OpenApi.Params {
    // What the generated HBR SDK (hbr20170908) passes for every action.
    return new $OpenApi.Params({
      action, version: '2017-09-08', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
    });
  }

  const runtime = new $Util.RuntimeOptions({ autoretry: false });

  test.each([['signature 1.0 (signatureAlgorithm v2)', 'v2'], ['ACS3-HMAC-SHA256 (the default)', undefined]])('%s', async (_label, algorithm) => {
    const client = sdk(algorithm);
    const created = await client.callApi(params('CreateClients'), new $OpenApi.OpenApiRequest({
      query: OpenApiUtil.query({
        VaultId: 'v-0001ufe000000kgm',
        ClientInfo: JSON.stringify([{ instanceId: algorithm ? 'i-sdk1' : 'i-sdk2', accessKeyId: '', accessKeySecret: '', sourceTypes: ['HANA'] }]),
        UseHttps: false,
      }),
    }), runtime);
    expect(created.statusCode).toBe(200);
    expect(created.body).toMatchObject({ Code: '200', Success: true, TaskId: expect.stringMatching(/^t-[0-9a-z]{20}$/) });

    // DescribeBackupClients sends ClientIds/InstanceIds in the form body, as the generated SDK does.
    const described = await client.callApi(params('DescribeBackupClients'), new $OpenApi.OpenApiRequest({
      query: OpenApiUtil.query({ ClientType: 'ECS_CLIENT', PageSize: 99 }),
      body: OpenApiUtil.parseToMap({ InstanceIds: JSON.stringify([algorithm ? 'i-sdk1' : 'i-sdk2']) }),
    }), runtime);
    expect(described.body.TotalCount).toBe(1);
    expect(described.body.Clients[0]).toMatchObject({ InstanceId: algorithm ? 'i-sdk1' : 'i-sdk2', ClientType: 'ECS_CLIENT' });

    const log = await env.admin('GET', '/requests');
    expect(log.slice(-2).map((e: any) => [e.action, e.status, e.scheme])).toEqual([
      ['CreateClients', 200, algorithm ? 'v1' : 'acs3'],
      ['DescribeBackupClients', 200, algorithm ? 'v1' : 'acs3'],
    ]);
  });

  test.each([['v2'], [undefined]])('a wrong secret is rejected with SignatureDoesNotMatch (%s)', async (algorithm) => {
    const client = sdk(algorithm, 'not-the-secret');
    await expect(client.callApi(params('DescribeTask'), new $OpenApi.OpenApiRequest({ query: { TaskId: 't-x' } }), runtime))
      .rejects.toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
  });

  test('an unknown access key is rejected with InvalidAccessKeyId.NotFound', async () => {
    const client = new OpenApi(new $OpenApi.Config({
      accessKeyId: 'LTAIunknown', accessKeySecret: 'x', endpoint: new URL(env.url).host, protocol: 'HTTP', signatureAlgorithm: 'v2',
    }));
    await expect(client.callApi(params('DescribeTask'), new $OpenApi.OpenApiRequest({ query: { TaskId: 't-x' } }), runtime))
      .rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
  });
});
