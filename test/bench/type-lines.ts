/* eslint-disable no-console */
/**
 * Counts the hand-written lines of types and validation under a source tree, the same way for any
 * checkout (`ts-node test/bench/type-lines.ts [SRC_DIR]`; default: this checkout's src/), so that
 * the figure can be compared before and after a change. A line counts when it is not blank, not
 * only a comment, and lies inside:
 * - an interface, type alias or enum declaration (types);
 * - a top-level constant whose value is a schema or table: a call of `z.*` or of a table builder
 *   (object, array, string, integer, boolean, required, body, record, list, text, whole, oneOf, ruled);
 * - a function or constant arrow whose name says it checks input: validate*, check*, decode*,
 *   parse*, require*, *Violation(s), *Check, *Rule(s) (validation).
 * Tests, generated files and the emulator's simulated behaviour are not types or validation and
 * are not counted unless they match the above.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const BUILDERS = /^(z\.|object|array|string|integer|boolean|required|body|record|list|text|whole|oneOf|ruled|stringMap)\b/;
const VALIDATION_NAME = /^(validate|check|decode|parse|require)|Violations?$|Check$|Rules?$/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function codeLines(source: ts.SourceFile, node: ts.Node, counted: Set<number>): void {
  const text = source.getFullText();
  const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
  const lines = text.split('\n');
  let inBlockComment = false;
  for (let i = start; i <= end; i++) {
    const l = lines[i].trim();
    if (inBlockComment) { if (l.includes('*/')) inBlockComment = false; continue; }
    if (l === '' || l.startsWith('//')) continue;
    if (l.startsWith('/*')) { if (!l.includes('*/')) inBlockComment = true; continue; }
    if (l.startsWith('*')) continue;
    counted.add(i);
  }
}

function isFunction(node: ts.Node | undefined): boolean {
  return node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

export function countTypeLines(srcDir: string): { types: number; validation: number; files: number } {
  let types = 0;
  let validation = 0;
  const all = files(srcDir);
  for (const file of all) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const typeLines = new Set<number>();
    const checkLines = new Set<number>();
    const visit = (node: ts.Node, topLevel: boolean): void => {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) {
        codeLines(source, node, typeLines);
        return;
      }
      if (ts.isFunctionDeclaration(node) && node.name && VALIDATION_NAME.test(node.name.text)) {
        codeLines(source, node, checkLines);
        return;
      }
      if (topLevel && ts.isVariableStatement(node)) {
        for (const d of node.declarationList.declarations) {
          const init = d.initializer?.getText(source) ?? '';
          const name = ts.isIdentifier(d.name) ? d.name.text : '';
          if (BUILDERS.test(init)) {
            codeLines(source, d, typeLines);
          } else if (VALIDATION_NAME.test(name) && isFunction(d.initializer)) {
            codeLines(source, d, checkLines);
          }
        }
        return;
      }
      ts.forEachChild(node, (child) => visit(child, false));
    };
    source.statements.forEach((s) => visit(s, true));
    types += typeLines.size;
    validation += [...checkLines].filter((l) => !typeLines.has(l)).length;
  }
  return { types, validation, files: all.length };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'src'));
  const r = countTypeLines(dir);
  console.log(`${dir}: ${r.types} lines of types and schemas, ${r.validation} lines of validation functions, ${r.types + r.validation} in all (${r.files} files)`);
}
