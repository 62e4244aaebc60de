import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mayEqual } from '../../src/runtime/handlers/declared';
import { fileHandoff, NO_HANDOFF } from '../../src/runtime/handlers/handoff';

describe('the hand-over from a replaced entry to its replacement', () => {
  let dir: string;
  let config: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-handoff-'));
    config = path.join(dir, 'cdk.tf.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the replacement in the same run takes what the old entry left, once', () => {
    fileHandoff(config, '100', 'association', 'Prod/Web/x').put({ resource_id: 'old' });
    const next = fileHandoff(config, '100', 'association', 'Prod/Web/x');
    expect(next.take()).toEqual({ resource_id: 'old' });
    expect(next.take()).toBeUndefined();
  });

  test('another entry, another kind or a later run finds nothing; a later run clears what earlier runs left', () => {
    fileHandoff(config, '100', 'association', 'Prod/Web/x').put({ resource_id: 'old' });
    expect(fileHandoff(config, '100', 'association', 'Prod/Web/y').take()).toBeUndefined();
    expect(fileHandoff(config, '100', 'tag', 'Prod/Web/x').take()).toBeUndefined();
    expect(fileHandoff(config, '200', 'association', 'Prod/Web/x').take()).toBeUndefined();
    fileHandoff(config, '200', 'association', 'Prod/Web/z').put({ resource_id: 'z' });
    expect(fs.readdirSync(path.join(dir, '.cbr-handoff'))).toEqual(['200']);
  });

  test('a file that is not JSON is ignored', () => {
    const h = fileHandoff(config, '100', 'association', 'k');
    h.put({});
    const [file] = fs.readdirSync(path.join(dir, '.cbr-handoff', '100'));
    fs.writeFileSync(path.join(dir, '.cbr-handoff', '100', file), '{not json');
    expect(h.take()).toBeUndefined();
  });

  test('without a configuration or a run id nothing is kept', () => {
    expect(fileHandoff(undefined, '100', 'association', 'k')).toBe(NO_HANDOFF);
    expect(fileHandoff(config, undefined, 'association', 'k')).toBe(NO_HANDOFF);
  });
});

describe('comparing a declared spec (expressions unevaluated) with a resolved one', () => {
  test.each([
    [{ a: '${var.x}', b: 1 }, { a: 'anything', b: 1 }, true],
    [{ a: '${var.x}', b: 1 }, { a: 'anything', b: 2 }, false],
    [{ ids: ['${var.x}', 'y'] }, { ids: ['x', 'y'] }, true],
    [{ ids: ['${var.x}'] }, { ids: ['x', 'y'] }, false],
    [{ a: 'literal $${not} an expression' }, { a: 'other' }, false],
    [{ a: 1 }, { a: 1, extra: true }, false],
  ])('%j may equal %j: %s', (declared, resolved, expected) => {
    expect(mayEqual(declared, resolved)).toBe(expected);
  });
});
