import matter from 'gray-matter';
import { runbookError } from '../errors.js';
import { lineAt, type FrontmatterSpan } from './frontmatter-span.js';

/** Parses the YAML; invalid YAML is an error that names `file:line`. */
export function parseFrontmatter(text: string, span: FrontmatterSpan | null, file: string): Record<string, unknown> {
  if (!span) return {};
  const yaml = text.slice(span.yamlStart, span.yamlEnd);
  if (yaml.trim() === '') return {};
  try {
    // An options object keeps gray-matter from caching every file it sees.
    const data = matter(`---\n${yaml}\n---\n`, {}).data as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw runbookError('RUNBOOK_INVALID_FRONTMATTER', `${file}:${lineAt(text, span.yamlStart)}: frontmatter must be a mapping of keys to values.`);
    }
    return data as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === 'RUNBOOK_INVALID_FRONTMATTER') throw error;
    const mark = (error as { mark?: { line?: number } }).mark;
    // gray-matter hands js-yaml the text after the opening `---`, newline included: its lines start one early.
    const line = lineAt(text, span.yamlStart) + Math.max((mark?.line ?? 1) - 1, 0);
    const reason = String((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0];
    throw runbookError(
      'RUNBOOK_INVALID_FRONTMATTER',
      `${file}:${line}: invalid YAML in frontmatter: ${reason}. Fix the frontmatter; the file was left untouched.`,
      { cause: error },
    );
  }
}
