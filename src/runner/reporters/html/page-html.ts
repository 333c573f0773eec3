import { createHash } from 'node:crypto';
import type { DocResult, DocStatus, RunResult } from '../../results.js';
import { blockLabel, errorHeadline, formatDuration } from '../format.js';
import { blockAnchor, blockCounts, docHtml } from './doc-html.js';
import { docSource } from './doc-source.js';
import { textHtml } from './html-text.js';
import { filterStatuses, pageStyle } from './page-style.js';

const docAnchor = (i: number) => `doc-${i + 1}`;

function verdict(run: RunResult): { status: DocStatus; text: string } {
  const total = run.docs.length;
  if (run.failed) return { status: 'failed', text: `${run.failed} of ${total} doc${total === 1 ? '' : 's'} failed` };
  if (run.passed) return { status: 'passed', text: run.skipped ? `passed, ${run.skipped} skipped` : 'all passed' };
  return { status: 'skipped', text: total ? 'nothing ran: every doc was skipped' : 'no docs' };
}

function summaryHtml(run: RunResult, { status, text }: ReturnType<typeof verdict>): string {
  const blocks = run.docs.flatMap((doc) => doc.blocks);
  return [
    `<h1>runbook · <span class="verdict ${status}">${text}</span></h1>`,
    '<div class="summary">',
    `<span>docs: <b>${run.docs.length}</b> (${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped)</span>`,
    `<span>blocks: <b>${blocks.length}</b>${blocks.length ? ` (${blockCounts(blocks)})` : ''}</span>`,
    `<span>time: <b>${formatDuration(run.durationMs)}</b></span>`,
    '</div>',
  ].join('');
}

// Every failure in one list at the top, each a link to its block (or doc), as the pretty reporter repeats them.
function failuresHtml(docs: readonly DocResult[]): string {
  const items = docs.flatMap((doc, i) => {
    const anchor = docAnchor(i);
    const item = (href: string, what: string, location: string | undefined, message: string) =>
      `<li><a href="#${href}">${textHtml(what)}</a>${location ? ` <code>${textHtml(location)}</code>` : ''} ${textHtml(message)}</li>`;
    const failed = doc.blocks.filter((b) => b.status === 'failed' || b.status === 'timed-out');
    const found = failed.map((b) => item(blockAnchor(anchor, b.number), `${doc.path} · ${blockLabel(b)}`, b.error?.location, b.error ? errorHeadline(b.error) : b.status.replace('-', ' ')));
    if (doc.error) found.unshift(item(anchor, doc.path, doc.error.location, errorHeadline(doc.error)));
    else if (doc.status === 'failed' && found.length === 0) found.push(item(anchor, doc.path, undefined, 'failed'));
    return found;
  });
  return items.length ? `<ol class="failures">${items.join('')}</ol>` : '';
}

// How many docs ended how (a report of an older run may lack notRun).
const statusCounts = (run: RunResult): Record<DocStatus, number> => ({ failed: run.failed, passed: run.passed, skipped: run.skipped, 'not-run': run.notRun ?? 0 });

function filterHtml(run: RunResult): { inputs: string; nav: string } {
  const counts: Record<'all' | DocStatus, number> = { all: run.docs.length, ...statusCounts(run) };
  const names = ['all', ...filterStatuses] as const;
  const inputs = names.map((name) => `<input type="radio" name="show" id="show-${name}" class="filter-input"${name === 'all' ? ' checked' : ''}>`).join('');
  const labels = names.map((name) => `<label for="show-${name}" data-filter="${name}">${name.replace('-', ' ')} <b>${counts[name]}</b></label>`).join('');
  return { inputs, nav: `<nav aria-label="Filter docs by status"><div class="bar"><span class="caption">show</span>${labels}</div></nav>` };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

/**
 * The whole run as one HTML page that loads nothing: a summary, the list of
 * failures, a filter by status (no script), and every doc. Built from the
 * run's results alone, as the JSON and JUnit reports are; `ranTexts` (path →
 * the doc's text as it ran) saves reading each doc from disk for its prose and code.
 */
export function htmlReport(run: RunResult, ranTexts: ReadonlyMap<string, string> = new Map()): string {
  const outcome = verdict(run);
  const filter = filterHtml(run);
  const docs = run.docs.map((doc, i) => docHtml(docAnchor(i), doc, docSource(doc, ranTexts.get(doc.path))));
  // Shown only while its filter is chosen, for a status no doc has.
  const counts = statusCounts(run);
  const empty = filterStatuses.filter((s) => counts[s] === 0).map((s) => `<p class="empty" data-for="${s}">No ${s.replace('-', ' ')} docs.</p>`).join('');
  // Nothing but this stylesheet may load or run, whatever a doc's output holds.
  const policy = `default-src 'none'; style-src 'sha256-${sha256(pageStyle)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="runbook">
<link rel="icon" href="data:,">
<title>runbook report: ${outcome.text}</title>
<style>${pageStyle}</style>
</head>
<body>
${filter.inputs}
<header class="top">${summaryHtml(run, outcome)}${failuresHtml(run.docs)}</header>
${filter.nav}
<main>
${docs.join('\n')}
${empty}
</main>
</body>
</html>
`;
}
