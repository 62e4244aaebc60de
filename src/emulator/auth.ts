import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply, RequestContext, Route } from './context';
import { domainIdOf, EmulatorCredentials, userIdOf } from './credentials';
import type { ServedRegion } from './regions';
import type { TokenRecord } from './store';
import { decodeTokenRequest } from '../api/cbr/iam';
import { computeSignature, parseAuthorization, parseSdkDate } from '../api/cbr/signer';
import { ApiError, GATEWAY_ERRORS } from '../api/errors';

/** "The validity period of a token is 24 hours." (3.2) */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Largest accepted difference between X-Sdk-Date and the emulator's clock, as API Gateway allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface IncomingCall {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly rawUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Who made a call, and which project (of which region) the credential used is scoped to. */
export interface Caller {
  readonly credentials: EmulatorCredentials;
  readonly projectId: string;
  readonly region: string;
  readonly method: 'aksk' | 'token';
}

function unauthorized(reason: string): ApiError {
  return new ApiError(GATEWAY_ERRORS.AUTHENTICATION, reason);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers only; the length itself reveals nothing secret (a hex digest).
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * AK/SK signature checks and IAM tokens (3.2 Authentication). IAM is global: tokens live in the
 * state of the main region (the first), each scoped to one project of one region.
 */
export class Authenticator {
  constructor(
    private readonly credentials: readonly EmulatorCredentials[],
    private readonly regions: readonly ServedRegion[],
  ) {}

  private get main(): ServedRegion {
    return this.regions[0];
  }

  /** Authenticates a CBR call to `region` by X-Auth-Token or by its SDK-HMAC-SHA256 signature; throws 401. */
  public authenticate(call: IncomingCall, now: Date, region: ServedRegion): Caller {
    const token = header(call.headers, 'x-auth-token');
    if (token !== undefined) return this.byToken(token, now);
    const credentials = this.bySignature(call, now);
    return { credentials, projectId: region.projectOf(credentials), region: region.name, method: 'aksk' };
  }

  private byToken(token: string, now: Date): Caller {
    const record = this.main.store.data.tokens.find((t) => safeEqual(t.token, token));
    if (!record) throw unauthorized('decrypt token fail');
    if (record.expires_at <= now.getTime()) throw unauthorized('the token has expired');
    const credentials = this.credentials.find((c) => c.accessKey === record.access_key);
    if (!credentials) throw unauthorized('the token belongs to no known user');
    return { credentials, projectId: record.project_id, region: record.region ?? this.main.name, method: 'token' };
  }

  private bySignature(call: IncomingCall, now: Date): EmulatorCredentials {
    const authorization = header(call.headers, 'authorization');
    if (authorization === undefined) throw unauthorized('no X-Auth-Token and no Authorization header');
    const sdkDate = header(call.headers, 'x-sdk-date');
    if (sdkDate === undefined) throw unauthorized('no X-Sdk-Date header');
    const parsed = parseAuthorization(authorization);
    if (!parsed) throw unauthorized('Authorization must be "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=..."');
    for (const required of ['host', 'x-sdk-date']) {
      if (!parsed.signedHeaders.includes(required)) throw unauthorized(`SignedHeaders must include ${required}`);
    }
    const date = parseSdkDate(sdkDate);
    if (!date) throw unauthorized('X-Sdk-Date must look like 20240416T095341Z');
    const credentials = this.credentials.find((c) => c.accessKey === parsed.accessKey);
    if (!credentials) throw unauthorized(`Get secretKey failed, ak:${parsed.accessKey}, err:ak not exist`);
    if (Math.abs(now.getTime() - date.getTime()) > MAX_CLOCK_SKEW_MS) {
      throw unauthorized('X-Sdk-Date differs from the server time by more than 15 minutes');
    }
    const headers: Record<string, string> = {};
    for (const name of Object.keys(call.headers)) headers[name] = header(call.headers, name) ?? '';
    const expected = computeSignature(
      { method: call.method, url: `http://${headers.host ?? ''}${call.rawUrl}`, headers, body: call.body },
      parsed.signedHeaders, sdkDate.trim(), credentials.secretKey,
    );
    if (!safeEqual(expected, parsed.signature)) throw unauthorized('verify aksk signature fail');
    return credentials;
  }

  /** `POST /v3/auth/tokens` with the password method of 3.2; answers 201 and X-Subject-Token. */
  public issueToken(body: unknown, now: Date): Reply {
    const bad = (field: string, why: string) => new ApiError(GATEWAY_ERRORS.IAM_PARAMETER, `${field} ${why}.`);
    const { userName: name, password, domainName, projectId, projectName } = decodeTokenRequest(body);

    const credentials = this.credentials.find((c) =>
      c.userName !== undefined && c.userName === name && c.password !== undefined && safeEqual(c.password, password) && c.domainName === domainName);
    if (!credentials) throw new ApiError(GATEWAY_ERRORS.IAM_WRONG_CREDENTIALS);
    // A project is named by its id, or by its name, which is its region's name.
    const byId = projectId !== undefined;
    const region = byId ? this.regions.find((r) => r.projectOf(credentials) === projectId)
      : projectName !== undefined ? this.regions.find((r) => r.name === projectName) : this.main;
    if (!region) throw bad(`auth.scope.project.${byId ? 'id' : 'name'}`, `is not a project of user ${name}`);

    const record: TokenRecord = {
      token: 'MII' + randomBytes(96).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      access_key: credentials.accessKey,
      project_id: region.projectOf(credentials),
      region: region.name,
      expires_at: now.getTime() + TOKEN_LIFETIME_MS,
    };
    const { data } = this.main.store;
    data.tokens = data.tokens.filter((t) => t.expires_at > now.getTime());
    data.tokens.push(record);

    const iamTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
    const domain = { id: domainIdOf(credentials), name: domainName };
    return {
      status: 201,
      headers: { 'X-Subject-Token': record.token },
      body: {
        token: {
          expires_at: iamTime(record.expires_at),
          issued_at: iamTime(now.getTime()),
          methods: ['password'],
          catalog: [],
          roles: [{ id: '0', name: 'op_fine_grained' }],
          project: { id: record.project_id, name: region.name, domain },
          user: { id: userIdOf(credentials), name, domain, password_expires_at: '' },
        },
      },
    };
  }
}

/** The IAM API this emulator also serves, so token authentication works end to end. */
export const iamRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v3/auth/tokens',
    auth: 'none',
    hasBody: true,
    handle: (ctx: RequestContext) => ctx.auth.issueToken(ctx.body, ctx.now),
  },
];
