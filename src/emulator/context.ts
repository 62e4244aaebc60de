import type { Authenticator } from './auth';
import type { EmulatorCredentials } from './credentials';
import type { ServedRegion } from './regions';
import type { Store, VaultRecord } from './store';
import { ApiError, CBR_ERRORS, ErrorDef, invalidParameter } from '../api/errors';
import { isPlainObject, show } from '../api/table';

/** What a route handler gets for one request. */
export interface RequestContext {
  /** The state of the region served. */
  readonly store: Store;
  readonly auth: Authenticator;
  /** Path parameters by their names in the route pattern (`project_id`, `vault_id`, ...). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined when the request has none. */
  readonly body: unknown;
  /** The authenticated caller; undefined only on routes without authentication. */
  readonly caller?: EmulatorCredentials;
  readonly now: Date;
  /** The name of the region served. */
  readonly region: string;
  /** Every region served, the main one first: what cross-region rules may look into. */
  readonly regions: readonly ServedRegion[];
  /** The X-Request-Id of this call (OpExtendInfoCommon.request_id of the tasks it starts). */
  readonly requestId: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `{name}` placeholders, as the API reference writes URIs. */
  readonly pattern: string;
  /** 'cbr': AK/SK or token and the `{project_id}` check; 'none': the IAM token API itself. */
  readonly auth: 'cbr' | 'none';
  /** Whether the request carries a JSON body that must be parsed. */
  readonly hasBody: boolean;
  handle(ctx: RequestContext): Reply;
}

/** `2019-05-23T12:51:10.071+00:00`: the timestamp form of the document's example responses. */
export function apiTimestamp(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/** The vault named by the `{vault_id}` path parameter; `notFound` is the answer when there is none. */
export function pathVault(ctx: RequestContext, notFound: ErrorDef = CBR_ERRORS.VAULT_NOT_FOUND): VaultRecord {
  const vault = ctx.store.vault(ctx.params.project_id, ctx.params.vault_id);
  if (!vault) throw new ApiError(notFound, `No vault has the id ${JSON.stringify(ctx.params.vault_id)}.`);
  return vault;
}

/** The request body, which these APIs always take as a JSON object. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (!isPlainObject(ctx.body)) throw invalidParameter(`The request body must be a JSON object, got ${show(ctx.body)}.`);
  return ctx.body;
}
