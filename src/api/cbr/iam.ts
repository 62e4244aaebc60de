import type * as z from 'zod/mini';
import { ApiError, GATEWAY_ERRORS } from '../errors';
import { array, isAbsent, isPlainObject, object, required, Rule, string, validateRequest } from '../table';

/**
 * The IAM token request of 3.2 Token Authentication (password method, project scope), as a request
 * table like CBR's: the hook's client sends its type, the emulator validates with it and answers
 * IAM.0007 naming the field. IAM takes more than CBR reads (other methods, domain ids...), so the
 * objects let other fields through. CBR is a project-level service: only a project scope is useful.
 */

const invalid = (detail: string) => new ApiError(GATEWAY_ERRORS.IAM_PARAMETER, detail);

const passwordMethod: Rule = (identity, path) => {
  if (!(identity.methods as string[]).includes('password')) throw invalid(`${path}.methods must contain "password".`);
};
const projectScope: Rule = (auth, path) => {
  const scope = auth.scope;
  if (!isPlainObject(scope) || isAbsent(scope.project)) throw invalid(`${path}.scope.project is mandatory (CBR is a project-level service).`);
};
const projectIdOrName: Rule = (project, path) => {
  if (isAbsent(project.id) && isAbsent(project.name)) throw invalid(`${path}.id or ${path}.name is mandatory.`);
};

const NAME = required(string({ min: 1 }));
const loose = { loose: true } as const;

export const TOKEN_REQUEST = object({
  auth: required(object({
    identity: required(object({
      methods: required(array(string())),
      password: required(object({
        user: required(object({ name: NAME, password: NAME, domain: required(object({ name: NAME }, loose)) }, loose)),
      }, loose)),
    }, { ...loose, rules: [passwordMethod] })),
    scope: object({ project: object({ id: string({ min: 1 }), name: string({ min: 1 }) }, { ...loose, rules: [projectIdOrName] }) }, loose),
  }, { ...loose, rules: [projectScope] })),
}, loose);
export type TokenRequest = z.input<typeof TOKEN_REQUEST>;

/** What a token request asks for, once read. */
export interface TokenAsk {
  readonly userName: string;
  readonly password: string;
  readonly domainName: string;
  /** The project by id, or else by name (the region's default project). */
  readonly projectId?: string;
  readonly projectName?: string;
}

/** Validates a token request with TOKEN_REQUEST (IAM.0007 naming the field) and reads what it asks for. */
export function decodeTokenRequest(body: unknown): TokenAsk {
  const { auth } = validateRequest(body, TOKEN_REQUEST, GATEWAY_ERRORS.IAM_PARAMETER);
  const user = auth.identity.password.user;
  const project = auth.scope!.project!;
  return {
    userName: user.name,
    password: user.password,
    domainName: user.domain.name,
    projectId: project.id ?? undefined,
    projectName: project.id ? undefined : project.name ?? undefined,
  };
}
