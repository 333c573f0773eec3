import { parseFrontmatter } from './frontmatter.js';
import { findFrontmatter } from './frontmatter-span.js';

export interface Stamp {
  lastTested: string;
  lastTestPassed: boolean;
}

// A top-level `key: value  # comment` line; the value stops before an inline comment.
function keyLine(key: string): RegExp {
  return new RegExp(`^(${key}[ \\t]*:)([ \\t]*)((?:"(?:[^"\\\\]|\\\\.)*"|'(?:[^']|'')*'|[^#\\r\\n]*?))([ \\t]*(?:#[^\\r\\n]*)?)(\\r?)$`, 'm');
}

function formatValue(previous: string, value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  if (previous.startsWith('"')) return JSON.stringify(value);
  if (previous.startsWith("'")) return `'${value}'`;
  return value;
}

/**
 * Sets lastTested and lastTestPassed in a doc's text, changing nothing else:
 * values are replaced in place (quoting style and comments kept), missing keys
 * are appended to the frontmatter, and a doc without one gets one.
 */
export function stampText(text: string, stamp: Stamp, path = 'doc'): string {
  const span = findFrontmatter(text);
  const eolMatch = /\r?\n/.exec(text);
  if (!span) {
    const eol = eolMatch?.[0] ?? '\n';
    const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    const header = `---${eol}lastTested: ${stamp.lastTested}${eol}lastTestPassed: ${stamp.lastTestPassed}${eol}---${eol}`;
    const body = text.slice(bom.length);
    return `${bom}${header}${body.length && !/^\r?\n/.test(body) ? eol : ''}${body}`;
  }
  // Refuses (throws with file:line) if the YAML is invalid: never write over a broken frontmatter.
  parseFrontmatter(text, span, path);
  let yaml = text.slice(span.yamlStart, span.yamlEnd);
  const missing: string[] = [];
  for (const [key, value] of Object.entries(stamp) as [keyof Stamp, string | boolean][]) {
    const pattern = keyLine(key);
    const match = pattern.exec(yaml);
    if (!match) {
      missing.push(`${key}: ${value}${span.eol}`);
      continue;
    }
    const [whole, head, gap, previous, comment, cr] = match as unknown as [string, string, string, string, string, string];
    const replacement = `${head}${gap || ' '}${formatValue(previous, value)}${comment}${cr}`;
    yaml = yaml.slice(0, match.index) + replacement + yaml.slice(match.index + whole.length);
  }
  if (missing.length && yaml.length && !yaml.endsWith('\n')) yaml += span.eol;
  return text.slice(0, span.yamlStart) + yaml + missing.join('') + text.slice(span.yamlEnd);
}
