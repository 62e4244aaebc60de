import { DEFAULT_CREDENTIALS, EmulatorCredentials } from './credentials';
import type { FaultOptions } from './faults';
import { parseFaultOptions } from './faults';
import { DEFAULT_REGION, startEmulator } from './index';
import { checkRegions, EmulatorRegion } from './regions';

const USAGE = `Usage: cbr-emulator [options]

Serves the Huawei Cloud CBR v3 API (and the IAM token API, and the Alibaba HBR RPC API) on
127.0.0.1 for tests and demos.

Options (each falls back to an environment variable):
  --port N             TCP port, 0 for a free one            CBR_EMULATOR_PORT        (default 0)
  --state-file PATH    persist state here across restarts     CBR_EMULATOR_STATE_FILE  (default: memory only)
  --access-key AK      accepted access key                    CBR_EMULATOR_ACCESS_KEY  (default ${DEFAULT_CREDENTIALS.accessKey})
  --secret-key SK      its secret key                         CBR_EMULATOR_SECRET_KEY  (default ${DEFAULT_CREDENTIALS.secretKey})
  --project-id ID      the project those credentials address  CBR_EMULATOR_PROJECT_ID  (default ${DEFAULT_CREDENTIALS.projectId})
  --region NAME        region name (token scope by name)      CBR_EMULATOR_REGION      (default ${DEFAULT_REGION})
  --extra-region N=ID  also serve region N at /N/v3/...       CBR_EMULATOR_EXTRA_REGIONS (N=ID,N2=ID2)
                       with its own state; there every credential addresses project ID (32 hex); repeatable
  --resources-file F   protectable servers/disks/file systems CBR_EMULATOR_RESOURCES_FILE
                       (JSON [{id, type, name, size?, volumes?}]); when given, resource ids are checked
  --order-delay-ms N   yearly/monthly order completion delay  CBR_EMULATOR_ORDER_DELAY_MS (default 200)
  --tls                serve HTTPS with a throw-away CA        CBR_EMULATOR_TLS         (default off)
  --tls-cert-out F     write that CA certificate (PEM) here   CBR_EMULATOR_TLS_CERT_OUT

Fault injection, for /v3 calls only (also POST /_emulator/faults at run time):
  --fault-error-rate R          share (0-1) answered 500/503                CBR_EMULATOR_FAULT_ERROR_RATE
  --fault-error-statuses L      statuses to pick from (default 500,503)     CBR_EMULATOR_FAULT_ERROR_STATUSES
  --fault-throttle-rate R       share answered 429                          CBR_EMULATOR_FAULT_THROTTLE_RATE
  --fault-retry-after S         Retry-After of the 429, seconds (default 1) CBR_EMULATOR_FAULT_RETRY_AFTER
  --fault-latency-ms N          added latency                               CBR_EMULATOR_FAULT_LATENCY_MS
  --fault-latency-jitter-ms N   plus up to this much, at random             CBR_EMULATOR_FAULT_LATENCY_JITTER_MS
  --fault-reset-rate R          share whose connection is reset             CBR_EMULATOR_FAULT_RESET_RATE
  --fault-lost-response-rate R  share of writes applied, then unanswered    CBR_EMULATOR_FAULT_LOST_RESPONSE_RATE
  --fault-seed S                seed, so faults repeat run after run        CBR_EMULATOR_FAULT_SEED
`;

const FLAGS = [
  'port', 'state-file', 'access-key', 'secret-key', 'project-id', 'region', 'extra-region', 'resources-file', 'order-delay-ms', 'tls', 'tls-cert-out',
  'fault-error-rate', 'fault-error-statuses', 'fault-throttle-rate', 'fault-retry-after', 'fault-latency-ms', 'fault-latency-jitter-ms',
  'fault-reset-rate', 'fault-lost-response-rate', 'fault-seed',
] as const;
type Flag = typeof FLAGS[number];

/** Flags that take no value (`--tls`, or `--tls=true|false`). */
const SWITCHES: readonly Flag[] = ['tls'];
/** Flags that may be given more than once: their values are joined with commas, the form of their environment variable. */
const REPEATABLE: readonly Flag[] = ['extra-region'];
/** Environment variables not named after their flag. */
const ENV_NAMES: Partial<Record<Flag, string>> = { 'extra-region': 'CBR_EMULATOR_EXTRA_REGIONS' };

class UsageError extends Error {}

/** Parses `--flag value` and `--flag=value`; later environment fallbacks fill the gaps. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Partial<Record<Flag, string>> & { help?: boolean } {
  const out: Partial<Record<Flag, string>> & { help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m || !(FLAGS as readonly string[]).includes(m[1])) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const flag = m[1] as Flag;
    const value = SWITCHES.includes(flag) ? m[2] ?? 'true' : m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    out[flag] = REPEATABLE.includes(flag) && out[flag] !== undefined ? `${out[flag]},${value}` : value;
  }
  for (const flag of FLAGS) {
    const fromEnv = env[ENV_NAMES[flag] ?? `CBR_EMULATOR_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (out[flag] === undefined && fromEnv !== undefined && fromEnv !== '') out[flag] = fromEnv;
  }
  return out;
}

function wholeNumber(args: Partial<Record<Flag, string>>, flag: Flag): number | undefined {
  const v = args[flag];
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

function rate(args: Partial<Record<Flag, string>>, flag: Flag): number | undefined {
  const v = args[flag];
  if (v === undefined) return undefined;
  const n = /^\d*\.?\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0 && n <= 1)) throw new UsageError(`--${flag} must be a number from 0 to 1, got ${JSON.stringify(v)}`);
  return n;
}

function switchOn(args: Partial<Record<Flag, string>>, flag: Flag): boolean {
  const v = args[flag];
  if (v === undefined) return false;
  if (/^(true|1|yes|on)$/i.test(v)) return true;
  if (/^(false|0|no|off)$/i.test(v)) return false;
  throw new UsageError(`--${flag} is on or off (true/false), got ${JSON.stringify(v)}`);
}

/** The extra regions of `--extra-region NAME=PROJECT_ID` (validated). */
export function extraRegionsFromArgs(args: Partial<Record<Flag, string>>): EmulatorRegion[] {
  const v = args['extra-region'];
  if (v === undefined) return [];
  const regions = v.split(',').map((entry) => {
    const m = /^\s*([^=\s]+)=([^=\s]+)\s*$/.exec(entry);
    if (!m) throw new UsageError(`--extra-region must be NAME=PROJECT_ID, got ${JSON.stringify(entry)}`);
    return { name: m[1], projectId: m[2] };
  });
  try {
    checkRegions(args.region ?? DEFAULT_REGION, regions, '--extra-region');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return regions;
}

/** The fault options the flags describe (validated). */
export function faultOptionsFromArgs(args: Partial<Record<Flag, string>>): FaultOptions {
  const statuses = args['fault-error-statuses']?.split(',').map((s) => s.trim());
  if (statuses && !statuses.every((s) => /^5\d\d$/.test(s))) {
    throw new UsageError(`--fault-error-statuses must be 5xx statuses separated by commas, got ${JSON.stringify(args['fault-error-statuses'])}`);
  }
  const seed = args['fault-seed'];
  const opts: Record<string, unknown> = {
    errorRate: rate(args, 'fault-error-rate'),
    errorStatuses: statuses?.map(Number),
    throttleRate: rate(args, 'fault-throttle-rate'),
    retryAfterSeconds: wholeNumber(args, 'fault-retry-after'),
    latencyMs: wholeNumber(args, 'fault-latency-ms'),
    latencyJitterMs: wholeNumber(args, 'fault-latency-jitter-ms'),
    resetRate: rate(args, 'fault-reset-rate'),
    lostResponseRate: rate(args, 'fault-lost-response-rate'),
    seed: seed === undefined ? undefined : /^-?\d{1,15}$/.test(seed) ? Number(seed) : seed,
  };
  for (const k of Object.keys(opts)) if (opts[k] === undefined) delete opts[k];
  try {
    return parseFaultOptions(opts);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs the emulator until SIGTERM or SIGINT; prints one line when it is ready. */
export async function main(argv: string[]): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  let faults: FaultOptions;
  let orderDelayMs: number | undefined;
  let tls: boolean;
  let regions: EmulatorRegion[];
  try {
    args = parseArgs(argv);
    if (args.port !== undefined && !/^\d{1,5}$/.test(args.port)) throw new UsageError(`--port must be a number, got ${JSON.stringify(args.port)}`);
    faults = faultOptionsFromArgs(args);
    orderDelayMs = wholeNumber(args, 'order-delay-ms');
    tls = switchOn(args, 'tls');
    regions = extraRegionsFromArgs(args);
    if (args['tls-cert-out'] !== undefined && !tls) throw new UsageError('--tls-cert-out needs --tls');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`cbr-emulator: ${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const credentials: EmulatorCredentials = {
    ...DEFAULT_CREDENTIALS,
    accessKey: args['access-key'] ?? DEFAULT_CREDENTIALS.accessKey,
    secretKey: args['secret-key'] ?? DEFAULT_CREDENTIALS.secretKey,
    projectId: args['project-id'] ?? DEFAULT_CREDENTIALS.projectId,
  };
  const emulator = await startEmulator({
    port: args.port === undefined ? 0 : Number(args.port),
    stateFile: args['state-file'],
    credentials: [credentials],
    region: args.region,
    regions,
    resourcesFile: args['resources-file'],
    faults,
    orderDelayMs,
    tls,
    tlsCertOut: args['tls-cert-out'],
  });
  process.stdout.write(`cbr-emulator listening on ${emulator.url}\n`);
  if (args['tls-cert-out']) process.stdout.write(`cbr-emulator CA certificate written to ${args['tls-cert-out']}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(() => process.exit(0), (e) => {
      process.stderr.write(`cbr-emulator: ${(e as Error).message}\n`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`cbr-emulator: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
