import { DEFAULT_CREDENTIALS, EmulatorCredentials } from './credentials';
import { DEFAULT_REGION, startEmulator } from './index';

const USAGE = `Usage: cbr-emulator [options]

Serves the Huawei Cloud CBR v3 API (and the IAM token API) on 127.0.0.1 for tests and demos.

Options (each falls back to an environment variable):
  --port N             TCP port, 0 for a free one            CBR_EMULATOR_PORT        (default 0)
  --state-file PATH    persist state here across restarts     CBR_EMULATOR_STATE_FILE  (default: memory only)
  --access-key AK      accepted access key                    CBR_EMULATOR_ACCESS_KEY  (default ${DEFAULT_CREDENTIALS.accessKey})
  --secret-key SK      its secret key                         CBR_EMULATOR_SECRET_KEY  (default ${DEFAULT_CREDENTIALS.secretKey})
  --project-id ID      the project those credentials address  CBR_EMULATOR_PROJECT_ID  (default ${DEFAULT_CREDENTIALS.projectId})
  --region NAME        region name (token scope by name)      CBR_EMULATOR_REGION      (default ${DEFAULT_REGION})
`;

const FLAGS = ['port', 'state-file', 'access-key', 'secret-key', 'project-id', 'region'] as const;
type Flag = typeof FLAGS[number];

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
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    out[m[1] as Flag] = value;
  }
  for (const flag of FLAGS) {
    const fromEnv = env[`CBR_EMULATOR_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (out[flag] === undefined && fromEnv !== undefined && fromEnv !== '') out[flag] = fromEnv;
  }
  return out;
}

/** Runs the emulator until SIGTERM or SIGINT; prints one line when it is ready. */
export async function main(argv: string[]): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
    if (args.port !== undefined && !/^\d{1,5}$/.test(args.port)) throw new UsageError(`--port must be a number, got ${JSON.stringify(args.port)}`);
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
  });
  process.stdout.write(`cbr-emulator listening on ${emulator.url}\n`);

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
