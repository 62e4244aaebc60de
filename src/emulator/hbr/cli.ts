import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_HBR_CREDENTIALS, HbrEmulator, hbrOptionsFromEnv } from './index';

/**
 * A stand-alone HBR emulator (`node cli.js --port N --state-file F --config C`): the same handler
 * the main emulator mounts, on its own server. Prints `hbr-emulator listening on http://127.0.0.1:PORT`.
 */

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startHbrServer(emulator: HbrEmulator, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => emulator.handle(req, res, body))
      .then((served) => {
        if (!served) {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ Code: 'InvalidAction.NotFound', Message: 'Not an HBR RPC call: send POST /?Action=... (or an x-acs-action header).' }));
        }
      })
      .catch((e) => {
        process.stderr.write(`hbr-emulator: ${(e as Error).stack ?? e}\n`);
        res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeAllConnections();
    }),
  };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main(argv: string[]): Promise<void> {
  const env = hbrOptionsFromEnv();
  const stateFile = flag(argv, 'state-file') ?? env.stateFile;
  const configFile = flag(argv, 'config') ?? env.configFile;
  const emulator = new HbrEmulator({ ...env, ...(stateFile ? { stateFile } : {}), ...(configFile ? { configFile } : {}) });
  const server = await startHbrServer(emulator, Number(flag(argv, 'port') ?? process.env.HBR_EMULATOR_PORT ?? 0));
  process.stdout.write(`hbr-emulator listening on ${server.url} (access key id ${env.credentials?.[0]?.accessKeyId ?? DEFAULT_HBR_CREDENTIALS.accessKeyId})\n`);
  const stop = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`hbr-emulator: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
