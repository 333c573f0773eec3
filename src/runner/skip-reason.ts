import type { RunbookDocument } from '../markdown/document.js';

// A binary or empty file parses as a doc with no blocks: say so, rather than "passed, 0 blocks".
function nothingToRun(doc: RunbookDocument): string | undefined {
  if (doc.blocks.some((block) => block.kind === 'code' || block.kind === 'shell')) return undefined;
  if (doc.text.includes('\0')) return 'no runnable blocks: not a text file (it contains NUL bytes)';
  if (doc.text.trim() === '') return 'no runnable blocks: the file is empty';
  return 'no runnable blocks (no ts/js or shell fences)';
}

/** Why a doc should not run at all (frontmatter `skip`, unmet `requires`, nothing to run), or undefined. */
export function skipReason(doc: RunbookDocument, extraEnv: Record<string, string>): string | undefined {
  const { skip, requires } = doc.frontmatter;
  if (skip === true) return 'frontmatter says skip';
  if (typeof skip === 'string' && skip.trim()) return skip.trim();
  if (requires && typeof requires === 'object') {
    const wanted = (requires as { env?: unknown }).env;
    const names = Array.isArray(wanted) ? wanted.map(String) : typeof wanted === 'string' ? [wanted] : [];
    const missing = names.filter((name) => !(extraEnv[name] ?? process.env[name]));
    if (missing.length) return `requires environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (not set)`;
  }
  return nothingToRun(doc);
}
