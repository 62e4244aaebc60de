// Replaces node:http2 in the hook bundle (esbuild --alias, see .projenrc.ts). undici's HTTP/2 client
// loads node:http2 when the module is evaluated, which pulls in http2, fs/promises and readline: about
// 10 ms per hook process. The hooks never enable HTTP/2 (no allowH2), so only the constants are read.
export const constants = {};

export function connect(): never {
  throw new Error('cdktf-cbr: HTTP/2 is not included in the hook bundle');
}
