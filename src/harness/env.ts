import { DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorCredentials } from '../emulator';

/** The hooks' CBR environment for an emulator at `url`: its fake credentials, never real ones. */
export function emulatorHookEnv(url: string, credentials: Pick<EmulatorCredentials, 'accessKey' | 'secretKey' | 'projectId'> = DEFAULT_CREDENTIALS): Record<string, string> {
  return {
    HW_ACCESS_KEY: credentials.accessKey,
    HW_SECRET_KEY: credentials.secretKey,
    HW_PROJECT_ID: credentials.projectId,
    HW_REGION_NAME: DEFAULT_REGION,
    HW_CBR_ENDPOINT: url,
  };
}
