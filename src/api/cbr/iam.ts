import { ApiError, GATEWAY_ERRORS } from '../errors';
import { isPlainObject } from '../table';

/**
 * The IAM token request of 3.2 Token Authentication (password method, project scope): the body the
 * hook's client sends, and its decoder, which the emulator runs. CBR is a project-level service, so
 * only project-scoped tokens are useful. Violations answer IAM.0007 naming the field.
 */
export interface TokenRequest {
  readonly auth: {
    readonly identity: {
      readonly methods: readonly string[];
      readonly password: { readonly user: { readonly name: string; readonly password: string; readonly domain: { readonly name: string } } };
    };
    readonly scope: { readonly project: { readonly id: string } | { readonly name: string } };
  };
}

/** What a token request asks for, once read. */
export interface TokenAsk {
  readonly userName: string;
  readonly password: string;
  readonly domainName: string;
  /** One of the two: the project by id, or by name (the region's default project). */
  readonly projectId?: string;
  readonly projectName?: string;
}

export function decodeTokenRequest(body: unknown): TokenAsk {
  const bad = (field: string, why: string) => new ApiError(GATEWAY_ERRORS.IAM_PARAMETER, `${field} ${why}.`);
  const get = (v: unknown, key: string): unknown => (isPlainObject(v) ? v[key] : undefined);
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v === '') throw bad(field, 'must be a non-empty string');
    return v;
  };
  const auth = get(body, 'auth');
  if (!isPlainObject(auth)) throw bad('auth', 'is mandatory');
  const identity = get(auth, 'identity');
  const methods = get(identity, 'methods');
  if (!Array.isArray(methods) || !methods.includes('password')) throw bad('auth.identity.methods', 'must contain "password"');
  const user = get(get(identity, 'password'), 'user');
  const userName = str(get(user, 'name'), 'auth.identity.password.user.name');
  const password = str(get(user, 'password'), 'auth.identity.password.user.password');
  const domainName = str(get(get(user, 'domain'), 'name'), 'auth.identity.password.user.domain.name');
  const project = get(get(auth, 'scope'), 'project');
  if (!isPlainObject(project)) throw bad('auth.scope.project', 'is mandatory (CBR is a project-level service)');
  const projectId = project.id === undefined ? undefined : str(project.id, 'auth.scope.project.id');
  const projectName = projectId === undefined ? str(project.name, 'auth.scope.project.name') : undefined;
  return { userName, password, domainName, projectId, projectName };
}
