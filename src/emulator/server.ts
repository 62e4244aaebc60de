import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, maxHeaderSize, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { associationRoutes } from './associations';
import { Authenticator, Caller, iamRoutes } from './auth';
import type { Reply, RequestContext, Route } from './context';
import { FaultDecision, FaultInjector, FaultKind, parseFaultOptions } from './faults';
import { HbrEmulator, refusedRequestReply } from './hbr';
import { operationLogRoutes } from './operation-logs';
import { completeOrder, orderRoutes } from './orders';
import { policyRoutes, policyView } from './policies';
import { regionOfPath, ServedRegion } from './regions';
import { parseProtectables, resourceRoutes } from './resources';
import type { ProtectableRecord, Store } from './store';
import { tagRoutes } from './tags';
import type { EmulatorCertificate } from './tls';
import { vaultCreateView, vaultRoutes } from './vaults';
import { ApiError, CBR_ERRORS, ErrorDef, GATEWAY_ERRORS, invalidParameter } from '../api/errors';

/** "AK/SK authentication supports API requests with a body not larger than 12 MB." (3.2) */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** One served API request, as `GET /_emulator/requests` lists it. */
export interface RequestLogEntry {
  readonly seq: number;
  readonly method: string;
  /** Without the region prefix, when the request had one. */
  readonly path: string;
  /** The region named by the path's prefix (`/{region}/v3/...`); absent for a path without one. */
  readonly region?: string;
  readonly query: Record<string, string>;
  /** The status answered (or, for a lost response, computed but never sent); 0 for a reset connection. */
  readonly status: number;
  readonly errorCode?: string;
  /** The injected fault, if any. */
  readonly fault?: FaultKind;
  /** Injected latency, when there was some. */
  readonly latencyMs?: number;
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

export const ALL_ROUTES: readonly Route[] = [
  ...iamRoutes, ...orderRoutes, ...vaultRoutes, ...resourceRoutes, ...associationRoutes, ...policyRoutes, ...tagRoutes, ...operationLogRoutes,
];

export interface ServerDeps {
  /** The regions served, each with its own state; the first is the main region. */
  readonly regions: readonly ServedRegion[];
  readonly auth: Authenticator;
  readonly now: () => Date;
  /** @default no faults */
  readonly faults?: FaultInjector;
  /** Serves Alibaba HBR RPC calls (`/?Action=...`) and `/_emulator/hbr/...`. */
  readonly hbr?: HbrEmulator;
  /** Delay before a yearly/monthly order completes. @default 200 */
  readonly orderDelayMs?: number;
  /** The configured inventory that `POST /_emulator/reset` returns the main region to. @default none */
  readonly initialProtectables?: ProtectableRecord[];
  /** Serve HTTPS with this certificate. */
  readonly tls?: EmulatorCertificate;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Drops the connection at once: a TCP RST where the platform allows it. */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * The HTTP side of the emulator: routing, authentication, JSON, persistence after writes, request
 * log, fault injection, order completion, the HBR mount and the admin API.
 */
export class EmulatorServer {
  public readonly http: Server;
  public readonly faults: FaultInjector;
  private readonly routes: CompiledRoute[];
  private log: RequestLogEntry[] = [];
  private seq = 0;
  private readonly orderTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps, routes: readonly Route[] = ALL_ROUTES) {
    this.routes = routes.map(compile);
    this.faults = deps.faults ?? new FaultInjector();
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.serve(req, res).catch((e) => {
        // Only a failure to write the response itself can land here.
        process.stderr.write(`cbr-emulator: ${(e as Error).stack ?? e}\n`);
        res.destroy();
      });
    };
    this.http = deps.tls ? createHttpsServer({ key: deps.tls.key, cert: deps.tls.cert }, handler) as unknown as Server : createServer(handler);
    this.http.on('clientError', (err: ParserError, socket: Socket) => this.refuse(err, socket));
    this.scheduleOrders();
  }

  /**
   * Answers a request that Node's HTTP parser refused before any handler saw it, as Node itself would
   * (same statuses, same care not to interleave with a response under way), but with the documented
   * error body of the side the request was for: Node's own answer is a bare status line.
   */
  private refuse(err: ParserError, socket: Socket): void {
    const refusal = parserRefusal(err);
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // TLS handshake failures reach here too (https), and a socket error: nothing to answer there.
    if (!refusal || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const head = requestHead(err.rawPacket);
    const forHbr = this.deps.hbr !== undefined && head !== undefined && isHbrHead(head);
    const reply = forHbr ? refusedRequestReply(refusal.status, refusal.detail, head?.host) : cbrRefusal(refusal);
    const text = reply.body;
    socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
      Object.entries({ ...reply.headers, 'Content-Length': String(Buffer.byteLength(text)), 'Connection': 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
      `\r\n${text}`);
    // Close once the answer is out: the parser cannot read this connection any further.
    socket.once('finish', () => socket.destroy());
  }

  private get main(): ServedRegion {
    return this.deps.regions[0];
  }

  /** Stops the order timers (the HTTP server is closed by its owner). */
  public shutdown(): void {
    this.closed = true;
    for (const t of this.orderTimers.values()) clearTimeout(t);
    this.orderTimers.clear();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(16).toString('hex');
    res.setHeader('X-Request-Id', requestId);
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://emulator.invalid');
    const { body, tooLarge } = await readBody(req);
    const { region, path, prefixed } = regionOfPath(this.deps.regions, url.pathname);
    const isApi = path === '/v3' || path.startsWith('/v3/');
    if (!isApi && this.deps.hbr && await this.deps.hbr.handle(req, res, body)) return;
    if (url.pathname.startsWith('/_emulator/')) {
      await this.admin(req, res, url, body);
      return;
    }
    const method = req.method ?? '';
    const fault: FaultDecision = isApi ? this.faults.decide(method) : { latencyMs: 0 };
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    const record = (status: number, errorCode?: string) => this.log.push({
      seq: ++this.seq,
      method,
      path,
      ...(prefixed ? { region: region.name } : {}),
      query: Object.fromEntries(url.searchParams),
      status,
      ...(errorCode ? { errorCode } : {}),
      ...(fault.kind ? { fault: fault.kind } : {}),
      ...(fault.latencyMs > 0 ? { latencyMs: fault.latencyMs } : {}),
      at: this.deps.now().toISOString(),
    });

    if (fault.kind === 'reset') {
      record(0);
      resetConnection(req.socket);
      return;
    }
    let reply: Reply;
    if (fault.kind === 'throttle') {
      const retryAfter = this.faults.settings.retryAfterSeconds;
      reply = { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: new ApiError(GATEWAY_ERRORS.THROTTLED).toBody() };
    } else if (fault.kind === 'error') {
      reply = { status: fault.status!, body: { error_code: CBR_ERRORS.UNKNOWN.code, error_msg: `${CBR_ERRORS.UNKNOWN.message} (injected fault: HTTP ${fault.status})` } };
    } else {
      try {
        if (tooLarge) throw new ApiError(GATEWAY_ERRORS.BODY_TOO_LARGE, `The body exceeds ${MAX_BODY_BYTES} bytes.`);
        reply = await this.dispatch(req, rawUrl, region, path, url.searchParams, body, requestId);
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError(CBR_ERRORS.UNKNOWN, (e as Error).message);
        if (!(e instanceof ApiError)) process.stderr.write(`cbr-emulator: ${(e as Error).stack ?? e}\n`);
        reply = { status: error.status, body: error.toBody() };
      }
    }
    const errorCode = reply.status >= 400 ? (reply.body as { error_code?: string } | undefined)?.error_code : undefined;
    record(reply.status, errorCode);
    if (fault.kind === 'lost-response') {
      // The change is committed and persisted; the client never learns it.
      req.socket.destroy();
      return;
    }
    send(res, reply);
  }

  /** Serves an API call; `path` is the path within the region (without its prefix). */
  private async dispatch(req: IncomingMessage, rawUrl: string, served: ServedRegion, path: string, query: URLSearchParams,
    rawBody: string, requestId: string): Promise<Reply> {
    const method = req.method ?? '';
    let found: { route: Route; params: Record<string, string> } | undefined;
    for (const c of this.routes) {
      const m = c.route.method === method ? c.regex.exec(path) : null;
      if (m) {
        found = { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, decode(m[i + 1])])) };
        break;
      }
    }
    if (!found) throw new ApiError(GATEWAY_ERRORS.API_NOT_FOUND, `${method} ${path}`);
    const { route, params } = found;
    // IAM is global: a token request, with a region prefix or without, changes the main region's state.
    const region = route.auth === 'none' ? this.main : served;
    const { auth } = this.deps;
    const now = this.deps.now();

    let caller: Caller | undefined;
    if (route.auth === 'cbr') {
      // The signature covers the URL as received, prefix included.
      caller = auth.authenticate({ method, rawUrl, headers: req.headers, body: rawBody }, now, region);
      const headerProject = req.headers['x-project-id'];
      if (caller.region !== region.name || params.project_id !== caller.projectId
        || (typeof headerProject === 'string' && headerProject !== params.project_id)) {
        throw new ApiError(GATEWAY_ERRORS.FORBIDDEN, `The credentials are not valid for project ${JSON.stringify(params.project_id)}.`);
      }
    }
    const body = route.hasBody ? parseJson(req, rawBody) : undefined;
    const { store } = region;
    const ctx: RequestContext = {
      store, auth, params, query, body, caller: caller?.credentials, now, region: region.name, regions: this.deps.regions, requestId,
    };

    if (method === 'GET') return route.handle(ctx);
    // Handlers validate before they change anything; the store undoes the one late failure: persisting.
    const reply = await this.commit(store, () => route.handle(ctx));
    this.scheduleOrders();
    return reply;
  }

  /** Runs a change of one region's state and persists it; on a failure to persist, the store undoes the change. */
  private async commit<T>(store: Store, change: () => T): Promise<T> {
    const result = change();
    try {
      await store.persistSoon();
    } catch (e) {
      throw new ApiError(CBR_ERRORS.UNKNOWN, `The emulator could not save its state: ${(e as Error).message}`);
    }
    return result;
  }

  /** A timer for every pending yearly/monthly order, of every region, that has none. */
  private scheduleOrders(): void {
    if (this.closed) return;
    for (const region of this.deps.regions) {
      for (const order of region.store.data.orders) {
        if (order.status !== 'pending' || this.orderTimers.has(order.order_id)) continue;
        const timer = setTimeout(() => {
          this.orderTimers.delete(order.order_id);
          void this.completeOrders(region, [order.order_id]);
        }, this.deps.orderDelayMs ?? 200);
        timer.unref();
        this.orderTimers.set(order.order_id, timer);
      }
    }
  }

  private async completeOrders(region: ServedRegion, ids: readonly string[]): Promise<void> {
    if (this.closed) return;
    try {
      await this.commit(region.store, () => ids.forEach((id) => completeOrder(region.store, id, this.deps.now())));
    } catch (e) {
      process.stderr.write(`cbr-emulator: completing orders ${ids.join(', ')}: ${(e as Error).message}\n`);
    }
    this.scheduleOrders();
  }

  private stateView({ store }: ServedRegion): Record<string, unknown> {
    return {
      vaults: store.data.vaults.map(vaultCreateView),
      policies: store.data.policies.map((p) => policyView(store, p)),
      resources: store.data.protectables,
      orders: store.data.orders,
      operation_logs: store.data.operation_logs,
      faults: this.faults.settings,
    };
  }

  private async admin(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      send(res, { status: 403, body: new ApiError(GATEWAY_ERRORS.FORBIDDEN, 'Admin endpoints answer loopback only.').toBody() });
      return;
    }
    try {
      send(res, await this.adminAction(`${req.method} ${url.pathname}`, url.searchParams, rawBody));
    } catch (e) {
      const error = e instanceof ApiError ? e : invalidParameter((e as Error).message);
      send(res, { status: error.status, body: error.toBody() });
    }
  }

  private async adminAction(key: string, query: URLSearchParams, rawBody: string): Promise<Reply> {
    const { regions } = this.deps;
    // `?region=NAME` picks the region of the endpoints about one region's state; the main one by default.
    const region = (): ServedRegion => {
      const name = query.get('region');
      const found = name === null ? this.main : regions.find((r) => r.name === name);
      if (!found) throw invalidParameter(`region ${JSON.stringify(name)} is not served here; the regions are ${regions.map((r) => r.name).join(', ')}.`);
      return found;
    };
    const json = (): unknown => {
      try {
        return JSON.parse(rawBody);
      } catch (e) {
        throw invalidParameter(`The request body is not valid JSON: ${(e as Error).message}.`);
      }
    };
    switch (key) {
      case 'GET /_emulator/health':
        return { status: 200, body: { status: 'ok' } };
      case 'GET /_emulator/state':
        return { status: 200, body: this.stateView(region()) };
      case 'GET /_emulator/requests':
        return { status: 200, body: this.log };
      case 'DELETE /_emulator/requests':
        this.log = [];
        return { status: 204 };
      case 'POST /_emulator/reset':
        // The timers go first: one firing while the reset is written would complete a dropped order.
        for (const t of this.orderTimers.values()) clearTimeout(t);
        this.orderTimers.clear();
        this.log = [];
        try {
          await Promise.all(regions.map((r) =>
            this.commit(r.store, () => r.store.reset(r === this.main ? this.deps.initialProtectables ?? [] : []))));
        } finally {
          this.scheduleOrders(); // the orders a failed reset kept
        }
        return { status: 204 };
      case 'GET /_emulator/faults':
        return { status: 200, body: this.faults.settings };
      case 'POST /_emulator/faults':
        this.faults.configure(parseFaultOptions(json()));
        return { status: 200, body: this.faults.settings };
      case 'DELETE /_emulator/faults':
        this.faults.configure({});
        return { status: 200, body: this.faults.settings };
      case 'GET /_emulator/resources':
        return { status: 200, body: region().store.data.protectables };
      case 'POST /_emulator/resources': {
        // Adds resources, replacing those with the same id.
        const { store } = region();
        const added = parseProtectables(json(), 'resources', store.data.protectables);
        await this.commit(store, () => {
          const rest = store.data.protectables.filter((p) => !added.some((a) => a.id === p.id));
          store.data.protectables = [...rest, ...added];
        });
        return { status: 200, body: store.data.protectables };
      }
      case 'DELETE /_emulator/resources': {
        const { store } = region();
        await this.commit(store, () => {
          store.data.protectables = [];
        });
        return { status: 204 };
      }
      case 'POST /_emulator/orders/complete': {
        // Completes every pending yearly/monthly order (of the region) now, without waiting for the delay.
        const r = region();
        const pending = r.store.data.orders.filter((o) => o.status === 'pending').map((o) => o.order_id);
        for (const id of pending) {
          clearTimeout(this.orderTimers.get(id));
          this.orderTimers.delete(id);
        }
        await this.completeOrders(r, pending);
        return { status: 200, body: r.store.data.orders };
      }
      case 'GET /_emulator/ca.pem':
        if (!this.deps.tls) throw new ApiError(GATEWAY_ERRORS.API_NOT_FOUND, 'The emulator serves plain HTTP (start it with --tls for a certificate).');
        return { status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: this.deps.tls.caCert };
      default:
        throw new ApiError(GATEWAY_ERRORS.API_NOT_FOUND, key);
    }
  }
}

/** A 'clientError': rawPacket is the data the parser was reading when it failed. */
type ParserError = Error & { code?: string; rawPacket?: Buffer };

interface Refusal {
  readonly status: number;
  /** The CBR error, whose documented message `detail` follows. */
  readonly cbr: ErrorDef;
  /** What was wrong; on the HBR side, the whole message. */
  readonly detail: string;
}

/**
 * What to answer a parser failure with, undefined when it is no HTTP failure (TLS, a socket error).
 * The statuses are Node's own. CBR: a request too large is refused by the gateway with APIGW.0201,
 * the code the emulator already answers a body over 12 MB with, so the documented message "Request
 * entity too large." leads; a malformed or timed-out request gets BackupService.9900, 7.2's code for
 * a request the API cannot take as sent (7.2 has no code for 400 or 408 of its own).
 */
function parserRefusal(err: ParserError): Refusal | undefined {
  const too = (status: number, what: string): Refusal => ({ status, cbr: { ...GATEWAY_ERRORS.BODY_TOO_LARGE, status }, detail: `${what} exceed ${maxHeaderSize} bytes.` });
  const bad = (status: number, what: string): Refusal => ({ status, cbr: { ...CBR_ERRORS.PARAMETER, status }, detail: what });
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW': return too(431, 'The request line and header fields');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW': return too(413, 'The chunk extensions');
    case 'ERR_HTTP_REQUEST_TIMEOUT': return bad(408, 'The request was not received in time.');
    default: return err.code?.startsWith('HPE_') ? bad(400, `The request is not valid HTTP/1.1 (${err.code}).`) : undefined;
  }
}

function cbrRefusal(refusal: Refusal): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Request-Id': randomBytes(16).toString('hex') },
    body: JSON.stringify(new ApiError(refusal.cbr, refusal.detail).toBody()),
  };
}

interface RequestHead {
  readonly target: string;
  readonly host?: string;
  readonly actionHeader: boolean;
}

/**
 * The request line and the headers that can be read of the refused request: the last request line in
 * the data (pipelined requests come before it), undefined when the data starts mid-request.
 */
function requestHead(raw: Buffer | undefined): RequestHead | undefined {
  const text = raw?.toString('latin1') ?? '';
  const lines = [...text.matchAll(/(?:^|\r\n)[A-Z]+ (\S+) HTTP\/1\.[01]\r\n/g)];
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const rest = text.slice(last.index! + last[0].length);
  const host = /(?:^|\r\n)host:[ \t]*([^\r\n]*)/i.exec(rest)?.[1].trim();
  return { target: last[1], ...(host ? { host } : {}), actionHeader: /(?:^|\r\n)x-acs-action:/i.test(rest) };
}

function isHbrHead(head: RequestHead): boolean {
  try {
    return HbrEmulator.isHbrTarget(head.target, head.actionHeader);
  } catch {
    return false;
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
  if (typeof reply.body === 'string') {
    res.writeHead(reply.status, { 'Content-Length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
