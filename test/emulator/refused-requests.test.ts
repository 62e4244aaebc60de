import * as net from 'node:net';
import { RunningEmulator, startEmulator } from '../../src/emulator';

/**
 * Requests that Node's HTTP parser refuses before any handler sees them (an over-long header, a
 * malformed request) still get the documented error body of the side they were for: CBR's
 * `{error_code, error_msg}` (API reference 3.3), HBR's `{RequestId, Code, Message}`. Sent over a raw
 * socket, since an HTTP client would not send them.
 */

interface RawResponse {
  readonly statusLine: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function sendRaw(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { data += chunk; });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ statusLine, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** A request whose header fields are longer than Node's limit (16 KiB). */
const overLong = (target: string, port: number) => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;

describe('requests the HTTP parser refuses', () => {
  let emu: RunningEmulator;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(async () => { await emu.close(); });

  test('CBR: an over-long header is a 431 with the gateway\'s APIGW.0201 body', async () => {
    const res = await sendRaw(emu.port, overLong('/v3/p1/vaults', emu.port));
    expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(res.body)).toEqual({
      error_code: 'APIGW.0201',
      error_msg: 'Request entity too large. The request line and header fields exceed 16384 bytes.',
    });
  });

  test('HBR: an over-long header on an RPC call is a 431 with HBR\'s error body', async () => {
    const res = await sendRaw(emu.port, overLong('/?Action=DescribeTask&TaskId=t-1', emu.port));
    expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
    const requestId = res.headers['x-acs-request-id'];
    expect(requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(JSON.parse(res.body)).toEqual({
      RequestId: requestId,
      HostId: `127.0.0.1:${emu.port}`,
      Code: 'InvalidParameter',
      Message: 'The request line and header fields exceed 16384 bytes.',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=InvalidParameter',
    });
  });

  test('a malformed request is a 400 with the documented body, per side', async () => {
    const cbr = await sendRaw(emu.port, 'GET /v3/p1/vaults HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(cbr.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(cbr.body)).toEqual({
      error_code: 'BackupService.9900',
      error_msg: 'Parameter verification failed. The request is not valid HTTP/1.1 (HPE_INVALID_HEADER_TOKEN).',
    });
    const hbr = await sendRaw(emu.port, 'POST / HTTP/1.1\r\nHost: x\r\nx-acs-action: DescribeTask\r\nBad Header\r\n\r\n');
    expect(hbr.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(hbr.body)).toMatchObject({ HostId: 'x', Code: 'InvalidParameter', Message: 'The request is not valid HTTP/1.1 (HPE_INVALID_HEADER_TOKEN).' });
  });

  test('the emulator serves the next connection as usual', async () => {
    const res = await sendRaw(emu.port, 'GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });
});
