import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import type { CbrLocationOptions } from './location';
import { HookTable } from './private/hook-table';
import { claimIdentity, stackRelativePath } from './private/identity';
import { relationLocation, retainsRelations, vaultRef } from './private/relations';
import { requireValid } from './private/violation';
import { RemovalPolicy } from './removal-policy';
import type { IVault } from './vault';
import { AssociationSpec, describeVaultRef } from '../contract/specs';
import { isToken } from '../rules/tokens';

/** Options for a server resource. */
export interface ServerResourceOptions {
  /**
   * Ids of the server's disks that are not backed up.
   * @default - every disk is backed up
   */
  readonly excludeVolumes?: string[];
}

/** Resource types of API 4.5.7 (table 4-223), and the vault object type each belongs in. */
const RESOURCE_TYPES: Record<string, string> = {
  'OS::Nova::Server': 'server',
  'OS::Ironic::BareMetalServer': 'server',
  'OS::Cinder::Volume': 'disk',
  'OS::Sfs::Turbo': 'turbo',
  'OS::Workspace::DesktopV2': 'workspace',
  'OS::Native::Server': 'file',
};

/** A resource a vault protects (like aws-backup's BackupResource). */
export class VaultResource {
  /** An ECS server (OS::Nova::Server). */
  public static server(serverId: string, options: ServerResourceOptions = {}): VaultResource {
    return new VaultResource('OS::Nova::Server', serverId, options.excludeVolumes ?? []);
  }

  /** A bare metal server (OS::Ironic::BareMetalServer). */
  public static bareMetalServer(serverId: string, options: ServerResourceOptions = {}): VaultResource {
    return new VaultResource('OS::Ironic::BareMetalServer', serverId, options.excludeVolumes ?? []);
  }

  /** An EVS disk (OS::Cinder::Volume). */
  public static disk(volumeId: string): VaultResource {
    return new VaultResource('OS::Cinder::Volume', volumeId, []);
  }

  /** An SFS Turbo file system (OS::Sfs::Turbo). */
  public static turbo(fileSystemId: string): VaultResource {
    return new VaultResource('OS::Sfs::Turbo', fileSystemId, []);
  }

  /** A Workspace desktop (OS::Workspace::DesktopV2). */
  public static workspaceDesktop(desktopId: string): VaultResource {
    return new VaultResource('OS::Workspace::DesktopV2', desktopId, []);
  }

  /** Any resource type of API 4.5.7, e.g. `OS::Native::Server`. */
  public static of(resourceType: string, resourceId: string): VaultResource {
    return new VaultResource(resourceType, resourceId, []);
  }

  private constructor(
    /** The API's resource type, e.g. `OS::Nova::Server`. */
    public readonly resourceType: string,
    /** The resource id. */
    public readonly resourceId: string,
    /** Disks of a server that are not backed up. */
    public readonly excludeVolumes: string[],
  ) {}
}

/** Properties of a set of resources protected by one vault (API 4.5.7). */
export interface ResourceAssociationProps extends CbrLocationOptions {
  /** The vault that protects the resources. */
  readonly vault: IVault;
  /** The resources (1-256). */
  readonly resources: VaultResource[];
  /**
   * What `terraform destroy` does to the associations. Removing a resource from `resources`, or
   * removing this construct, always dissociates it, which deletes its backups (API 4.5.6).
   * @default - RETAIN when the vault is retained or imported, DESTROY when the vault is destroyed with the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Resources protected by a vault. Each resource is its own hook-table entry, so changing the list
 * adds and removes exactly the difference; a resource that stays is never touched.
 */
export class ResourceAssociation extends Construct {
  constructor(scope: Construct, id: string, props: ResourceAssociationProps) {
    super(scope, id);
    const vault = vaultRef(this, props.vault);
    const location = relationLocation(this, props.vault, props);
    const n = props.resources.length;
    requireValid(this, n >= 1 && n <= 256, {
      field: 'resources',
      value: `${n} resources`,
      rule: 'an association has 1-256 resources (API 4.5.7)',
      fix: n === 0 ? 'Add a resource or remove the association.' : 'Split the resources over several associations or vaults.',
    });
    const retain = props.removalPolicy ? props.removalPolicy === RemovalPolicy.RETAIN : retainsRelations(props.vault);
    const objectType = props.vault.objectType;
    const key = stackRelativePath(this);
    const table = HookTable.of(this, 'association');
    for (const r of props.resources) {
      const expected = RESOURCE_TYPES[r.resourceType];
      const named = `${r.resourceType} ${r.resourceId}`;
      requireValid(this, expected !== undefined, {
        field: 'resources',
        value: named,
        rule: `the resource type must be one of ${Object.keys(RESOURCE_TYPES).join(', ')} (API 4.5.7)`,
        fix: 'Use a VaultResource factory such as VaultResource.server().',
      });
      if (objectType !== undefined) {
        requireValid(this, expected === objectType, {
          field: 'resources',
          value: named,
          rule: `a ${objectType} vault cannot hold ${r.resourceType} resources (API 4.5.7, BackupService.6102)`,
          fix: `Put it in a vault with objectType ${expected?.toUpperCase()}.`,
        });
      }
      requireValid(this, r.excludeVolumes.length === 0 || expected === 'server', {
        field: 'resources', value: named, rule: 'only servers have volumes to exclude', fix: 'Remove excludeVolumes.',
      });
      // An id known only at apply is named by its expression instead, which is known at plan (DESIGN.md fact 8).
      const token = isToken(r.resourceId);
      let ref: string | undefined;
      const identity = () => (token ? ref ??= this.expressionText(r.resourceId) : r.resourceId);
      const spec = (): AssociationSpec => ({
        vault,
        resource_id: r.resourceId,
        ...(token ? { resource_ref: identity() } : {}),
        resource_type: r.resourceType,
        exclude_volumes: [...r.excludeVolumes],
        retain_on_destroy: retain,
        ...location,
      });
      const claim = () => claimIdentity(this, `resource ${identity()}`, {
        field: 'resources',
        value: `${r.resourceType} ${identity()}`,
        fix: `A resource can be protected by one vault only (API 4.5.7, BackupService.6103); ${describeVaultRef(vault)} cannot take it again.`,
      });
      // A token's expression is final only once the app is built: claim and key it at synth.
      if (!token) claim();
      table.register(this, token ? () => { claim(); return `${key}/${identity()}`; } : `${key}/${r.resourceId}`, spec);
    }
  }

  /**
   * The Terraform expression behind a token, as plain text: `${terraform_data.server.id}` becomes
   * `terraform_data.server.id`. It is a hook-table key, which Terraform must not evaluate, so no
   * `${` or `%{` is left in it.
   */
  private expressionText(value: string): string {
    const resolved = String(Tokenization.resolve(value, { scope: this, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false }));
    const inner = /^\$\{([^]*)\}$/.exec(resolved)?.[1] ?? resolved;
    return inner.replace(/[$%]\{/g, '{');
  }
}
