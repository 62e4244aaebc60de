import type { EmulatorCredentials } from './credentials';
import type { Store } from './store';
import { REGION_ID } from '../rules/location';

/** A region served besides the main one (`EmulatorOptions.regions`, `--extra-region NAME=PROJECT_ID`). */
export interface EmulatorRegion {
  readonly name: string;
  /** The project every credential addresses in this region (32 hex characters). */
  readonly projectId: string;
}

const PROJECT_ID = /^[0-9a-f]{32}$/i;

/** Refuses extra regions the emulator could not serve apart; `label` names the option or flag in the message. */
export function checkRegions(main: string, regions: readonly EmulatorRegion[], label: string): void {
  const seen = new Set<string>();
  for (const r of regions) {
    const what = `${label} ${JSON.stringify(`${r.name}=${r.projectId}`)}`;
    // A region ID (the characters 4.8.1 allows in destination_region) is also one path segment.
    if (!REGION_ID.test(r.name)) throw new Error(`${what}: the region name must be 1 to 255 letters, digits, underscores or hyphens`);
    if (r.name === main) throw new Error(`${what}: ${r.name} is the main region`);
    if (seen.has(r.name)) throw new Error(`${what}: region ${r.name} is given twice`);
    if (!PROJECT_ID.test(r.projectId)) throw new Error(`${what}: the project id must be 32 hex characters`);
    seen.add(r.name);
  }
}

/** A region the emulator serves, with its own state. */
export class ServedRegion {
  constructor(
    public readonly name: string,
    public readonly store: Store,
    private readonly credentials: readonly EmulatorCredentials[],
    /** An extra region's one project; undefined in the main region, where each credential has its own. */
    private readonly projectId?: string,
  ) {}

  /** The project the credential addresses in this region. */
  public projectOf(credentials: EmulatorCredentials): string {
    return this.projectId ?? credentials.projectId;
  }

  /** Whether some credential addresses this project here. */
  public serves(projectId: string): boolean {
    return this.credentials.some((c) => this.projectOf(c) === projectId);
  }
}

/**
 * The region a request path is for and the path within it: `/{region}/v3/...` for any served region,
 * else the main region (the first) with the path as it is, so `/v3/...` is served there and an
 * unknown prefix answers as an unknown API.
 */
export function regionOfPath(regions: readonly ServedRegion[], pathname: string): { region: ServedRegion; path: string; prefixed: boolean } {
  const m = /^\/([^/]+)(\/v3(?:\/.*)?)$/s.exec(pathname);
  const region = m ? regions.find((r) => r.name === m[1]) : undefined;
  return region ? { region, path: m![2], prefixed: true } : { region: regions[0], path: pathname, prefixed: false };
}
