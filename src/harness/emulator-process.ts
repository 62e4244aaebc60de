import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

/** How to start the emulator as its own process: the compiled bin when present, else the sources via ts-node. */
function emulatorCommand(): string[] {
  const root = path.resolve(__dirname, '..', '..');
  const compiled = path.join(root, 'lib', 'emulator', 'cli.js');
  const source = path.join(root, 'src', 'emulator', 'cli.ts');
  if (__filename.endsWith('.js') && fs.existsSync(compiled)) return [compiled];
  return ['-r', require.resolve('ts-node/register/transpile-only'), source];
}

export interface EmulatorProcessOptions {
  /** Persist the emulator's state here, so a restart keeps it. */
  readonly stateFile: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Extra command-line flags. */
  readonly args?: string[];
  /**
   * The emulator's entry script, e.g. the `cbr-emulator` bin of an installed package.
   * @default this repository's emulator
   */
  readonly bin?: string;
}

/** The CBR emulator running as a separate process on 127.0.0.1, as end-to-end tests and the demo need it. */
export class EmulatorProcess {
  public static async start(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
    const p = new EmulatorProcess(opts);
    await p.launch(opts.port ?? 0);
    return p;
  }

  public url = '';
  private child?: ChildProcess;
  private output = '';

  private constructor(private readonly opts: EmulatorProcessOptions) {}

  private launch(port: number): Promise<void> {
    const args = [...(this.opts.bin ? [this.opts.bin] : emulatorCommand()), '--port', String(port), '--state-file', this.opts.stateFile, ...(this.opts.args ?? [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    this.child = child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`emulator did not start in 30 s:\n${this.output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString('utf8');
        const m = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(this.output);
        if (m) {
          clearTimeout(timer);
          this.url = m[1];
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => { this.output += c.toString('utf8'); });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (!this.url) reject(new Error(`emulator exited with ${code} before listening:\n${this.output}`));
      });
    });
  }

  /** The port it listens on. */
  public get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Kills the process at once (SIGKILL): what a crash looks like. */
  public async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  /** Stops the process gracefully (SIGTERM). */
  public async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  /** Starts it again on the same port with the same state file. */
  public async restart(): Promise<void> {
    const port = this.port;
    await this.stop();
    this.url = '';
    this.output = '';
    await this.launch(port);
  }

  private stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** The emulator's whole state of a region (one of `--extra-region`; the main region by default), from its admin endpoint. */
  public async state(region?: string): Promise<EmulatorState> {
    const query = region === undefined ? '' : `?region=${encodeURIComponent(region)}`;
    return this.admin('GET', `/_emulator/state${query}`) as Promise<EmulatorState>;
  }

  /** Every API request served since the last `clearRequests`. */
  public async requests(): Promise<EmulatorRequest[]> {
    return this.admin('GET', '/_emulator/requests') as Promise<EmulatorRequest[]>;
  }

  public async clearRequests(): Promise<void> {
    await this.admin('DELETE', '/_emulator/requests');
  }

  private async admin(method: string, p: string): Promise<unknown> {
    const { status, text } = this.url.startsWith('https:') ? await this.httpsAdmin(method, p) : await fetch(`${this.url}${p}`, { method })
      .then(async (res) => ({ status: res.status, text: await res.text() }));
    if (status >= 300) throw new Error(`emulator ${method} ${p}: ${status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Admin calls to an HTTPS emulator trust the CA it wrote with --tls-cert-out. */
  private httpsAdmin(method: string, p: string): Promise<{ status: number; text: string }> {
    const args = this.opts.args ?? [];
    const caFile = args[args.indexOf('--tls-cert-out') + 1];
    if (!args.includes('--tls-cert-out') || !caFile) throw new Error('an HTTPS emulator needs --tls-cert-out for the harness to trust it');
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.url}${p}`, { method, ca: fs.readFileSync(caFile) }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
  }
}

export interface EmulatorState {
  readonly vaults: Array<Record<string, any>>;
  readonly policies: Array<Record<string, any>>;
}

export interface EmulatorRequest {
  readonly method: string;
  /** Without the region prefix, when the request had one. */
  readonly path: string;
  /** The region of a request made with a prefix (`/{region}/v3/...`). */
  readonly region?: string;
  readonly status: number;
}
