/**
 * What happens to a cloud object when its construct leaves the app or the stack is destroyed.
 */
export enum RemovalPolicy {
  /** Keep the cloud object (and, for a vault, its backups). Terraform forgets it. */
  RETAIN = 'retain',
  /** Delete the cloud object. Deleting a vault deletes every backup in it. */
  DESTROY = 'destroy',
}
