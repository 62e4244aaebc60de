import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Authenticator, Caller, iamRoutes } from './auth';
import type { Reply, RequestContext, Route } from './context';
import { ApiError, CBR_ERRORS, GATEWAY_ERRORS, invalidParameter } from './errors';
import { policyRoutes, policyView } from './policies';
import type { Store } from './store';
import { vaultCreateView, vaultRoutes } from './vaults';

/** "AK/SK authentication supports API requests with a body not larger than 12 MB." (3.2) */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** One served API request, as `GET /_emulator/requests` lists it. */
export interface RequestLogEntry {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly status: number;
  readonly errorCode?: string;
  readonly at: string;
}

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${source}$`), names };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface ServerDeps {
  readonly store: Store;
  readonly auth: Authenticator;
  readonly region: string;
  readonly now: () => Date;
}

/** The HTTP side of the emulator: routing, authentication, JSON, persistence after writes, request log, admin API. */
export class EmulatorServer {
  public readonly http: Server;
  private readonly routes: CompiledRoute[];
  private log: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly deps: ServerDeps, routes: Route[] = [...iamRoutes, ...vaultRoutes, ...policyRoutes]) {
    this.routes = routes.map(compile);
    this.http = createServer((req, res) => {
      this.serve(req, res).catch((e) => {
        // Only a failure to write the response itself can land here.
        process.stderr.write(`cbr-emulator: ${(e as Error).stack ?? e}\n`);
        res.destroy();
      });
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Request-Id', randomBytes(16).toString('hex'));
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://emulator.invalid');
    const { body, tooLarge } = await readBody(req);
    if (url.pathname.startsWith('/_emulator/')) {
      this.admin(req, res, url.pathname);
      return;
    }
    let reply: Reply;
    try {
      if (tooLarge) throw new ApiError(GATEWAY_ERRORS.BODY_TOO_LARGE, `The body exceeds ${MAX_BODY_BYTES} bytes.`);
      reply = this.dispatch(req, rawUrl, url, body);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(CBR_ERRORS.UNKNOWN, (e as Error).message);
      if (!(e instanceof ApiError)) process.stderr.write(`cbr-emulator: ${(e as Error).stack ?? e}\n`);
      reply = { status: error.status, body: error.toBody() };
    }
    const errorCode = reply.status >= 400 ? (reply.body as { error_code?: string } | undefined)?.error_code : undefined;
    this.log.push({
      seq: ++this.seq,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: reply.status,
      ...(errorCode ? { errorCode } : {}),
      at: this.deps.now().toISOString(),
    });
    send(res, reply);
  }

  private dispatch(req: IncomingMessage, rawUrl: string, url: URL, rawBody: string): Reply {
    const method = req.method ?? '';
    let found: { route: Route; params: Record<string, string> } | undefined;
    for (const c of this.routes) {
      const m = c.route.method === method ? c.regex.exec(url.pathname) : null;
      if (m) {
        found = { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, decode(m[i + 1])])) };
        break;
      }
    }
    if (!found) throw new ApiError(GATEWAY_ERRORS.API_NOT_FOUND, `${method} ${url.pathname}`);
    const { route, params } = found;
    const { store, auth, region } = this.deps;
    const now = this.deps.now();

    let caller: Caller | undefined;
    if (route.auth === 'cbr') {
      caller = auth.authenticate({ method, rawUrl, headers: req.headers, body: rawBody }, now);
      const headerProject = req.headers['x-project-id'];
      if (params.project_id !== caller.projectId || (typeof headerProject === 'string' && headerProject !== params.project_id)) {
        throw new ApiError(GATEWAY_ERRORS.FORBIDDEN, `The credentials are not valid for project ${JSON.stringify(params.project_id)}.`);
      }
    }
    const body = route.hasBody ? parseJson(req, rawBody) : undefined;
    const ctx: RequestContext = { store, auth, params, query: url.searchParams, body, caller: caller?.credentials, now, region };

    if (method === 'GET') return route.handle(ctx);
    // Handlers validate before they change anything; the snapshot guards the one late failure: persisting.
    const before = store.snapshot();
    const reply = route.handle(ctx);
    try {
      store.persist();
    } catch (e) {
      store.restore(before);
      throw new ApiError(CBR_ERRORS.UNKNOWN, `The emulator could not save its state: ${(e as Error).message}`);
    }
    return reply;
  }

  private admin(req: IncomingMessage, res: ServerResponse, path: string): void {
    const { store } = this.deps;
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      send(res, { status: 403, body: new ApiError(GATEWAY_ERRORS.FORBIDDEN, 'Admin endpoints answer loopback only.').toBody() });
      return;
    }
    const key = `${req.method} ${path}`;
    switch (key) {
      case 'GET /_emulator/health':
        return send(res, { status: 200, body: { status: 'ok' } });
      case 'GET /_emulator/state':
        return send(res, {
          status: 200,
          body: { vaults: store.data.vaults.map(vaultCreateView), policies: store.data.policies.map((p) => policyView(store, p)) },
        });
      case 'GET /_emulator/requests':
        return send(res, { status: 200, body: this.log });
      case 'DELETE /_emulator/requests':
        this.log = [];
        return send(res, { status: 204 });
      case 'POST /_emulator/reset': {
        const before = store.snapshot();
        store.reset();
        try {
          store.persist();
        } catch (e) {
          store.restore(before);
          return send(res, { status: 500, body: new ApiError(CBR_ERRORS.UNKNOWN, (e as Error).message).toBody() });
        }
        this.log = [];
        return send(res, { status: 204 });
      }
      default:
        return send(res, { status: 404, body: new ApiError(GATEWAY_ERRORS.API_NOT_FOUND, key).toBody() });
    }
  }
}

function readBody(req: IncomingMessage): Promise<{ body: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining an oversized body so the connection stays usable for the error reply.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }));
    req.on('error', reject);
  });
}

/** Content-Type is mandatory (Table 3-3) and must be JSON for requests with a body. */
function parseJson(req: IncomingMessage, raw: string): unknown {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw invalidParameter(`Content-Type must be application/json; got ${JSON.stringify(type)}.`);
  if (raw.trim() === '') throw invalidParameter('The request body is mandatory.');
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw invalidParameter(`The request body is not valid JSON: ${(e as Error).message}.`);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
