/** What every handler gets: the construct key for messages and a sink for one-line reports. */
export interface HookContext {
  /** The construct path that keys the hook table, e.g. `Backup/Prod`. */
  readonly key: string;
  /** Prints one line describing what was done. */
  readonly report: (line: string) => void;
}

/** A failure the user can act on: the message names the field, the value and the fix. */
export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}
