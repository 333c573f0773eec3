import type { RunbookDocument } from '../markdown/document.js';

/** Why a doc should not run at all (frontmatter `skip` or unmet `requires`), or undefined. */
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
  return undefined;
}
