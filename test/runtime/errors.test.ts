import { ApiError, isNotFound, safePath, scrubSecrets, TransportError } from '../../src/runtime/errors';

describe('ApiError', () => {
  test('formats service, method, path, status, code, message and request id', () => {
    const err = new ApiError({
      status: 400,
      method: 'post',
      path: 'https://cbr.example/v3/p1/vaults?name=x&sig=abc',
      errorCode: 'BackupService.6201',
      errorMsg: 'Invalid name',
      requestId: 'req-1',
    });
    expect(err.message).toBe('CBR POST /v3/p1/vaults failed: 400 BackupService.6201 Invalid name (request id req-1)');
    expect(err).toMatchObject({ name: 'ApiError', status: 400, errorCode: 'BackupService.6201', errorMsg: 'Invalid name', requestId: 'req-1', method: 'POST', path: '/v3/p1/vaults', attempts: 1 });
    expect(err).toBeInstanceOf(Error);
  });

  test('mentions attempts after retries and leaves out what is missing', () => {
    const err = new ApiError({ status: 503, method: 'GET', path: '/v3/p/vaults', attempts: 6, service: 'IAM' });
    expect(err.message).toBe('IAM GET /v3/p/vaults failed: 503 (after 6 attempts)');
  });

  test('scrubs secrets echoed in the error message and flattens long bodies', () => {
    const err = new ApiError({
      status: 401,
      method: 'GET',
      path: '/v3/p/vaults',
      secrets: ['SUPERSECRETKEY', undefined],
      errorMsg: 'bad signature for SUPERSECRETKEY; Authorization: SDK-HMAC-SHA256 Access=AKID, SignedHeaders=host, Signature=abcdef0123\n' + 'x'.repeat(1000),
    });
    expect(err.message).not.toContain('SUPERSECRETKEY');
    expect(err.message).not.toContain('abcdef0123');
    expect(err.message).not.toContain('AKID');
    expect(err.message).not.toContain('\n');
    expect(err.errorMsg!.length).toBeLessThan(520);
  });
});

describe('TransportError', () => {
  test('says how many attempts were made and the last cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const err = new TransportError({ method: 'get', path: 'http://h/v3/p/policies?x=1', attempts: 6, code: 'ECONNREFUSED', reason: cause.message, cause });
    expect(err.message).toBe('CBR GET /v3/p/policies failed after 6 attempts: connect ECONNREFUSED 127.0.0.1:1');
    expect(err.cause).toBe(cause);
    expect(err.code).toBe('ECONNREFUSED');
  });

  test('adds the code when the reason lacks it, and a hint', () => {
    const err = new TransportError({ method: 'POST', path: '/x', attempts: 1, code: 'UND_ERR_SOCKET', reason: 'other side closed', hint: 'check first' });
    expect(err.message).toBe('CBR POST /x failed after 1 attempt: other side closed (UND_ERR_SOCKET). check first');
  });
});

describe('isNotFound', () => {
  test.each([
    [404, undefined, true],
    [404, 'BackupService.6105', true],
    [400, 'BackupService.6105', true],
    [400, 'BackupService.6000', true],
    [404, 'BackupService.6002', true],
    [404, 'APIGW.0101', false],
    [400, 'BackupService.6201', false],
    [500, undefined, false],
  ])('status %d with code %s -> %s', (status, errorCode, expected) => {
    expect(isNotFound(new ApiError({ status, errorCode, method: 'GET', path: '/' }))).toBe(expected);
  });

  test('is false for anything that is not an ApiError', () => {
    expect(isNotFound(new Error('404'))).toBe(false);
    expect(isNotFound({ status: 404 })).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});

describe('helpers', () => {
  test('safePath drops scheme, host, query and fragment', () => {
    expect(safePath('https://u:p@h:1/a/b?c=d#e')).toBe('/a/b');
    expect(safePath('/a?b')).toBe('/a');
    expect(safePath('http://h')).toBe('/');
  });

  test('scrubSecrets ignores empty and very short values', () => {
    expect(scrubSecrets('abc', ['', 'a', undefined])).toBe('abc');
    expect(scrubSecrets('X-Auth-Token: MIItoken123 rest', [])).toBe('X-Auth-Token: *** rest');
  });
});
