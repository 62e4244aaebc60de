import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throw-away CA and a server certificate it signed, for 127.0.0.1, ::1 and localhost. */
export interface EmulatorCertificate {
  /** The CA certificate (PEM): what a client trusts, e.g. through CBR_CA_FILE. */
  readonly caCert: string;
  /** The server certificate (PEM), followed by nothing else. */
  readonly cert: string;
  /** The server's private key (PEM). */
  readonly key: string;
}

const LEAF_EXTENSIONS = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
  'subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost',
  '',
].join('\n');

const CA_CONFIG = [
  '[req]',
  'distinguished_name = dn',
  'x509_extensions = ca_ext',
  'prompt = no',
  '[dn]',
  'CN = cbr-emulator throw-away CA',
  '[ca_ext]',
  'basicConstraints = critical, CA:TRUE, pathlen:0',
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  '',
].join('\n');

/**
 * Generates the certificates with the `openssl` command (node:crypto makes keys but no X.509
 * certificates). Valid from now for `days` days; the keys live only in memory and a temporary
 * directory that is removed before returning.
 */
export async function generateCertificate(days = 30): Promise<EmulatorCertificate> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emulator-tls-'));
  const f = (name: string) => path.join(dir, name);
  const openssl = async (args: string[]) => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw new Error('--tls needs the openssl command, which is not on PATH');
      throw new Error(`openssl ${args[0]} failed: ${(err.stderr ?? err.message).trim()}`);
    }
  };
  try {
    fs.writeFileSync(f('ca.cnf'), CA_CONFIG);
    fs.writeFileSync(f('leaf.ext'), LEAF_EXTENSIONS);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await openssl(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', String(days), '-config', f('ca.cnf')]);
    await openssl(['req', '-new', ...ec, '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=localhost']);
    await openssl(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', String(days), '-extfile', f('leaf.ext'), '-out', f('leaf.pem')]);
    return {
      caCert: fs.readFileSync(f('ca.pem'), 'utf8'),
      cert: fs.readFileSync(f('leaf.pem'), 'utf8'),
      key: fs.readFileSync(f('leaf.key'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
