/** What the emulator makes up where the 4.5 tables give no values. */

/**
 * provider_id ("ID of the vault resource type"): server, disk, turbo and vmware values are the
 * ones 4.3.2 lists; the document gives none for workspace, rds and file, so these are invented.
 */
export const PROVIDER_IDS: Readonly<Record<string, string>> = {
  server: '0daac4c5-6707-4851-97ba-169e36266b66',
  disk: 'd1603440-187d-4516-af25-121250c7cc97',
  turbo: '3f3c3220-245c-4805-b811-758870015881',
  vmware: 'a13639de-00be-4e94-af30-26912d75e4a2',
  workspace: 'e6b3f1a4-2c57-4f0e-9d2a-7b1c8e5d4a30',
  rds: 'b2a7c9d1-4e36-4f8b-a1c5-3d9e7f6b2a81',
  file: 'c4d8e2f6-1a3b-4c5d-8e7f-9a0b1c2d3e4f',
};

/** spec_code: the documented values are server/volume/turbo backup; the rest follow the same scheme. */
export function specCode(protectType: string, objectType: string): string {
  const kind = objectType === 'disk' ? 'volume' : objectType;
  return `vault.${protectType}.${kind}.normal`;
}
