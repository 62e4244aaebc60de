import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { hbr } from 'cdktf-cbr';
import { hbr } from '../../src';

export interface HbrClientsProps {
  /** The HBR backup vault the clients back up to, e.g. `v-0001ufe000000kgm`. */
  readonly vaultId: string;
  /** ECS instances for file backup; their clients use the instances' RAM role. */
  readonly fileServerIds: string[];
  /** ECS instances of an SAP HANA cluster; their clients are installed with an AccessKey. */
  readonly hanaInstanceIds: string[];
  /** The HBR cluster of the SAP HANA instances, e.g. `cl-000csy09q7bd2b1ix4pj`. */
  readonly hanaClusterId: string;
}

/** The names of the environment variables that hold the AccessKey of the SAP HANA clients. */
export const HANA_ACCESS_KEY_ID_ENV = 'HBR_CLIENT_ACCESS_KEY_ID';
export const HANA_ACCESS_KEY_SECRET_ENV = 'HBR_CLIENT_ACCESS_KEY_SECRET';

/**
 * Alibaba Cloud HBR backup clients on two groups of ECS instances:
 *
 * - `FileServers`: ECS file backup clients, left at their installed version (KEEP_INSTALLED, the
 *   default); new instances get the newest client.
 * - `Hana`: SAP HANA clients that every apply upgrades to the newest version HBR offers
 *   (UPGRADE_TO_LATEST), transmitting over HTTPS. They are installed with an AccessKey that the
 *   hook reads at apply time from the environment variables named here: the key itself never
 *   enters the synthesized JSON, the plan or the Terraform state.
 */
export function buildHbrClients(scope: Construct, props: HbrClientsProps): void {
  new hbr.BackupClient(scope, 'FileServers', {
    vaultId: props.vaultId,
    instanceIds: props.fileServerIds,
    sourceTypes: [hbr.SourceType.ECS_FILE],
  });

  new hbr.BackupClient(scope, 'Hana', {
    vaultId: props.vaultId,
    instanceIds: props.hanaInstanceIds,
    sourceTypes: [hbr.SourceType.HANA],
    clusterId: props.hanaClusterId,
    alertSetting: hbr.AlertSetting.INHERITED,
    useHttps: true,
    versionPolicy: hbr.ClientVersionPolicy.UPGRADE_TO_LATEST,
    accessKeyIdEnv: HANA_ACCESS_KEY_ID_ENV,
    accessKeySecretEnv: HANA_ACCESS_KEY_SECRET_ENV,
  });
}

/** The example as a stack of its own. */
export class HbrClientsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: HbrClientsProps) {
    super(scope, id);
    buildHbrClients(this, props);
  }
}
