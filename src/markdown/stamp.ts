import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { parseFrontmatter } from './frontmatter.js';
import { findFrontmatter, lineAt, type FrontmatterSpan } from './frontmatter-span.js';
import { applyEdits, stampEdits, type StampEntries } from './stamp-edits.js';
import { changedValues, stampRefused, stampUnreadable } from './stamp-verify.js';

export interface Stamp {
  lastTested: string;
  lastTestPassed: boolean;
}

const stampKeys = ['lastTested', 'lastTestPassed'] as const;

function withNewFrontmatter(text: string, stamp: Stamp): string {
  const eol = /\r?\n/.exec(text)?.[0] ?? '\n';
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const header = `---${eol}lastTested: ${stamp.lastTested}${eol}lastTestPassed: ${stamp.lastTestPassed}${eol}---${eol}`;
  const body = text.slice(bom.length);
  return `${bom}${header}${body.length && !/^\r?\n/.test(body) ? eol : ''}${body}`;
}

function parseYaml(source: string): Document.Parsed {
  const doc = parseDocument(source, { keepSourceTokens: true });
  if (doc.errors.length) throw doc.errors[0]!;
  return doc;
}

function valuesOf(doc: Document.Parsed): Record<string, unknown> {
  const values = doc.toJS() as unknown;
  return values !== null && typeof values === 'object' ? (values as Record<string, unknown>) : {};
}

// `file:line` of a top-level key in the original text (the frontmatter's first line when the key is new).
function whereKey(text: string, span: FrontmatterSpan, doc: Document.Parsed, key: string, path: string): string {
  const pair = isMap(doc.contents) ? doc.contents.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
  const offset = isScalar(pair?.key) ? pair.key.range?.[0] ?? 0 : 0;
  return `${path}:${lineAt(text, span.yamlStart + offset)}`;
}

/**
 * Sets lastTested and lastTestPassed in a doc's text, changing nothing else:
 * the keys are found by a YAML parser's source ranges and only their values'
 * bytes are replaced; missing keys are appended in the frontmatter's own style
 * (block or flow); a doc without frontmatter gets one. Every result is parsed
 * again, and a stamp that would change any other key's value is refused with
 * an error (code RUNBOOK_STAMP_REFUSED). Invalid YAML is refused with
 * RUNBOOK_INVALID_FRONTMATTER. Both name `file:line`.
 */
export function stampText(text: string, stamp: Stamp, path = 'doc'): string {
  const span = findFrontmatter(text);
  if (!span) return withNewFrontmatter(text, stamp);
  const readBefore = parseFrontmatter(text, span, path);
  const source = text.slice(span.yamlStart, span.yamlEnd);
  let doc: Document.Parsed;
  try {
    doc = parseYaml(source);
  } catch (error) {
    const offset = (error as { pos?: [number, number] }).pos?.[0] ?? 0;
    throw stampUnreadable(`${path}:${lineAt(text, span.yamlStart + offset)}`, `the frontmatter's YAML could not be located exactly (${(error as Error).message.split('\n')[0]})`, error);
  }
  const entries: StampEntries = stampKeys.map((key) => [key, stamp[key]]);
  const edited = applyEdits(source, stampEdits(doc, source, entries, span.eol));
  const result = text.slice(0, span.yamlStart) + edited + text.slice(span.yamlEnd);

  let after: Record<string, unknown>;
  let readAfter: Record<string, unknown>;
  try {
    after = valuesOf(parseYaml(edited));
    readAfter = parseFrontmatter(result, findFrontmatter(result), path);
  } catch (error) {
    throw stampUnreadable(`${path}:${lineAt(text, span.yamlStart)}`, `the stamped frontmatter would not parse (${(error as Error).message.split('\n')[0]})`, error);
  }
  // Both parsers: the one that located the keys, and the one the runner reads frontmatter with.
  const byReader = changedValues(readBefore, readAfter, stampKeys);
  const changes = [...changedValues(valuesOf(doc), after, stampKeys)];
  for (const change of byReader) if (!changes.some(({ key }) => key === change.key)) changes.push(change);
  const missing = stampKeys.filter((key) => !(key in after) || !(key in readAfter));
  if (changes.length) throw stampRefused(whereKey(text, span, doc, changes[0]!.key, path), changes);
  if (missing.length) throw stampUnreadable(`${path}:${lineAt(text, span.yamlStart)}`, `${missing.join(' and ')} could not be set`, undefined);
  return result;
}
