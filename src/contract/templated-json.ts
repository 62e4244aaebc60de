/**
 * An entry's parts are JSON text in the synthesized configuration (layout.ts). A value known only
 * at apply (another resource's id, a variable) is a Terraform template inside that text:
 * `{"resource_id":${jsonencode(aws_instance.web.id)}}`, which Terraform renders as valid JSON
 * whatever the value holds (quotes, numbers, lists). Literal text never holds `${` or `%{`: synth
 * refuses it (hook-table.ts), so every interpolation in the text is one synth wrote.
 */

/** Index just past the `}` that closes the `${` or `%{` at `start`, across nested braces and quoted strings. */
function interpolationEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 2; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = quotedEnd(text, i) - 1;
    } else if (c === '{' || c === '(' || c === '[') {
      depth++;
    } else if (c === ')' || c === ']') {
      depth--;
    } else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  throw new Error(`unterminated Terraform interpolation in ${JSON.stringify(text.slice(start, start + 80))}`);
}

/** Index just past the `"` that closes the HCL string literal at `start` (which may hold templates of its own). */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = interpolationEnd(text, i) - 1;
  }
  throw new Error(`unterminated string in ${JSON.stringify(text.slice(start, start + 80))}`);
}

/** A string holding interpolations, as an HCL expression: the expression itself, or a quoted template. */
function expressionOf(value: string): string {
  if (value.startsWith('${') && interpolationEnd(value, 0) === value.length) return value.slice(2, -1);
  let out = '"';
  for (let i = 0; i < value.length;) {
    if (value[i] === '$' && value[i + 1] === '{') {
      const end = interpolationEnd(value, i);
      out += value.slice(i, end);
      i = end;
    } else {
      out += JSON.stringify(value[i]).slice(1, -1);
      i++;
    }
  }
  return `${out}"`;
}

/**
 * JSON text of `value`, in which every string holding `${...}` (a resolved cdktf token) becomes
 * `${jsonencode(...)}` for Terraform to render. Keys are taken as they are.
 */
export function templatedJson(value: unknown): string {
  if (typeof value === 'string') return value.includes('${') ? `\${jsonencode(${expressionOf(value)})}` : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(templatedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${templatedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether JSON text written by templatedJson holds a value known only at apply. */
export function isTemplated(text: string): boolean {
  return text.includes('${');
}

/**
 * A value synth wrote as `${jsonencode(EXPR)}` (inner = `jsonencode(EXPR)`) in the form cdktf
 * declared it: `${EXPR}`, or the template text itself when EXPR is a quoted template
 * (`"for ${var.name}"` reads `for ${var.name}`).
 */
function declaredForm(inner: string): string {
  const expr = /^jsonencode\(([^]*)\)$/.exec(inner)?.[1];
  if (expr === undefined) return `\${${inner}}`;
  if (expr.startsWith('"') && quotedEnd(expr, 0) === expr.length) {
    // The HCL string's escapes are the JSON ones expressionOf wrote; its interpolations hold none of them unescaped.
    let out = '';
    for (let i = 1; i < expr.length - 1;) {
      if ((expr[i] === '$' || expr[i] === '%') && expr[i + 1] === '{') {
        const end = interpolationEnd(expr, i);
        out += expr.slice(i, end);
        i = end;
      } else if (expr[i] === '\\') {
        const escape = /^\\(u[0-9a-fA-F]{4}|.)/.exec(expr.slice(i))![0];
        out += JSON.parse(`"${escape}"`);
        i += escape.length;
      } else {
        out += expr[i++];
      }
    }
    return out;
  }
  return `\${${expr}}`;
}

/**
 * Reads JSON text written by templatedJson as declared: each interpolation becomes a string of
 * its expression (`"${aws_instance.web.id}"`), which the hooks treat as "any value" (isExpression).
 */
export function parseTemplatedJson(text: string): unknown {
  let json = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      // A JSON string: copied as it is (its escapes are JSON's).
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      json += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '$' && text[i + 1] === '{') {
      const end = interpolationEnd(text, i);
      json += JSON.stringify(declaredForm(text.slice(i + 2, end - 1)));
      i = end;
    } else {
      json += c;
      i++;
    }
  }
  return JSON.parse(json);
}
