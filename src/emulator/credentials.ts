import { createHash } from 'node:crypto';

/** One fake account the emulator accepts: an AK/SK pair, a project, and optionally an IAM user for tokens. */
export interface EmulatorCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** The only project these credentials may address in `/v3/{project_id}/...`. */
  readonly projectId: string;
  /** IAM user name for `POST /v3/auth/tokens`; without it (and password, domainName) no token can be issued. */
  readonly userName?: string;
  readonly password?: string;
  readonly domainName?: string;
}

/**
 * Fake, documented test credentials; they grant nothing anywhere but in the emulator.
 * The project id is the one the API reference uses in its example URIs, so the document's
 * example requests can be replayed verbatim.
 */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  accessKey: 'EMULATORACCESSKEY000',
  secretKey: 'emulator-secret-key',
  projectId: 'f841e01fd2b14e7fa41b6ae7aa6b0594',
  userName: 'emulator-user',
  password: 'emulator-password',
  domainName: 'emulator-domain',
};

function hex32(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 32);
}

/** A stable 32-hex IAM user id for the credentials (the `user_id` of vaults they create). */
export function userIdOf(cred: EmulatorCredentials): string {
  return hex32(`user:${cred.accessKey}`);
}

/** A stable 32-hex account (domain) id for the credentials. */
export function domainIdOf(cred: EmulatorCredentials): string {
  return hex32(`domain:${cred.domainName ?? cred.accessKey}`);
}
