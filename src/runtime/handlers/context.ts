import type { Handoff } from './handoff';
import type { HookKind } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import type { CbrLocation } from '../cbr/config';

/** What every handler gets: the construct key for messages and a sink for one-line reports. */
export interface HookContext {
  /** The construct path that keys the hook table, e.g. `Backup/Prod`. */
  readonly key: string;
  /** The stack's name, from the synthesized configuration; undefined when it cannot be read. */
  readonly stack?: string;
  /** Prints one line describing what was done. */
  readonly report: (line: string) => void;
  /**
   * Says that the object is as declared and nothing was done: a hook run for this object alone
   * prints it; the hook entry, which looks at every object of the stack, only counts it, unless
   * the line is `noteworthy` (a declared change the API cannot make, say).
   */
  readonly unchanged: (line: string, noteworthy?: boolean) => void;
  /**
   * The specs of a kind's table as the synthesized configuration declares them (cdk.tf.json), with
   * Terraform expressions as unevaluated text (`${terraform_data.server.id}`); undefined when the
   * configuration cannot be read.
   */
  readonly declared: (kind: HookKind) => Record<string, unknown> | undefined;
  /** What this entry's replaced predecessor left for it in this Terraform run (see handoff.ts). */
  readonly handoff: Handoff;
  /**
   * Whether the Terraform command running this hook replaces this very entry on request
   * (`terraform apply -replace=...`, e.g. the drift command's heal): its delete hook then only
   * makes way for its own apply hook, which runs next with the same spec.
   */
  readonly replacedOnRequest: () => boolean;
  /**
   * Whether the Terraform command running this hook destroys (`terraform destroy`); undefined when
   * unknown (no /proc, or no Terraform: the hook entry, tests).
   */
  readonly destroying: () => boolean | undefined;
  /**
   * The CBR client of another region and project (a replication destination's).
   * @default none: a handler that needs one fails
   */
  readonly clientAt?: (at: CbrLocation) => CbrClient;
}

/** A failure the user can act on: the message names the field, the value and the fix. */
export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}
