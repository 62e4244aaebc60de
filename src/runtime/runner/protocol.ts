/**
 * The warm runner's wire format over its Unix socket: one JSON line each way. A hook process sends
 * its arguments and per-hook variables; the runner answers once the hook has finished, with the
 * lines to print and the exit code. Output is sent whole, so a runner that dies mid-hook leaves
 * nothing printed and the hook process can run the hook itself.
 */
export interface RunnerRequest {
  readonly argv: readonly string[];
  /** Only the per-hook variables (PER_HOOK_ENV); the rest of the environment is the runner's own, which matches by construction. */
  readonly env: Readonly<Record<string, string>>;
}

export interface RunnerResponse {
  readonly code: number;
  readonly out: readonly string[];
  readonly err: readonly string[];
}

/** Collects newline-terminated JSON messages from socket chunks. */
export class LineReader {
  private buffer = '';

  /** Returns the complete lines in `chunk` (with what was buffered before). */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.filter((l) => l.length > 0);
  }
}
