/**
 * An HBR error answer: its HTTP status, `Code` and `Message` (with `RequestId`, the body every
 * Alibaba Cloud RPC error carries); `extra` holds the other fields of the body.
 */
export class RpcError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RpcError';
  }
}

/** The answer to a parameter of the wrong form. */
export function invalidParameter(message: string): RpcError {
  return new RpcError(400, 'InvalidParameter', message);
}

/** The answer to a mandatory parameter left out: `Missing<Name>`. */
export function missingParameter(name: string): RpcError {
  return new RpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}
