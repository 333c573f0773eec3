import type { DocStatus } from '../../results.js';

/** The statuses the filter offers, besides "all". */
export const filterStatuses: DocStatus[] = ['failed', 'passed', 'skipped', 'not-run'];

// The filter needs no script: a radio per status before the page's content, and
// sibling selectors that hide the other docs while it is checked.
const filterRules = filterStatuses
  .map(
    (status) => `#show-${status}:checked ~ main .doc:not([data-status="${status}"]) { display: none; }
#show-${status}:checked ~ main .empty[data-for="${status}"] { display: block; }`,
  )
  .join('\n');
const chosenRules = ['all', ...filterStatuses].map((name) => `#show-${name}:checked ~ nav label[for="show-${name}"]`).join(',\n');
const focusRules = ['all', ...filterStatuses].map((name) => `#show-${name}:focus-visible ~ nav label[for="show-${name}"]`).join(',\n');

/** The report's styles, inlined into the page (and allowed by its hash in the page's content security policy). */
export const pageStyle = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.top, main, nav .bar { max-width: 960px; margin: 0 auto; padding: 0 1rem; }
.top h1 { font-size: 1.3rem; margin: 1rem 0 .3rem; }
.verdict { font-weight: 600; }
.verdict.failed { color: var(--fail); } .verdict.passed { color: var(--pass); } .verdict.skipped { color: var(--skip); }
.summary { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; margin: .4rem 0 .8rem; color: var(--muted); }
.summary b { color: var(--fg); }
.failures { margin: 0 0 1rem; padding: .5rem .8rem .5rem 2rem; border: 1px solid #ff8182; border-radius: 6px; background: #fff8f7; }
.failures li { margin: .2rem 0; }
.failures a { color: var(--fail); font-weight: 600; }
.failures code { color: var(--muted); }
.filter-input { position: absolute; opacity: 0; pointer-events: none; }
nav { position: sticky; top: 0; z-index: 1; background: var(--panel); border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
nav .bar { display: flex; gap: .4rem; align-items: center; padding-top: .4rem; padding-bottom: .4rem; }
nav .caption { color: var(--muted); font-size: .85rem; margin-right: .3rem; }
nav label { cursor: pointer; font-size: .85rem; padding: .15rem .7rem; border: 1px solid var(--line); border-radius: 999px; background: #fff; }
nav label:hover { background: #eef1f4; }
${chosenRules} { background: var(--fg); border-color: var(--fg); color: #fff; }
${focusRules} { outline: 2px solid #0969da; outline-offset: 2px; }
${filterRules}
.empty { display: none; color: var(--muted); font-style: italic; }
main { padding-top: .8rem; padding-bottom: 3rem; }
.doc { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px; margin: 0 0 .8rem; }
.doc[data-status="passed"] { border-left-color: var(--pass); }
.doc[data-status="failed"] { border-left-color: var(--fail); }
.doc[data-status="skipped"] { border-left-color: var(--skip); }
.doc-head { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; padding: .5rem .8rem; cursor: pointer; background: var(--panel); border-radius: 0 6px 6px 0; }
.doc[open] > .doc-head { border-bottom: 1px solid var(--line); border-radius: 0 6px 0 0; }
.badge { font-size: .75rem; font-weight: 700; padding: .05rem .4rem; border-radius: 4px; color: #fff; }
.doc[data-status="passed"] .badge { background: var(--pass); }
.doc[data-status="failed"] .badge { background: var(--fail); }
.doc[data-status="skipped"] .badge { background: var(--skip); }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; }
.title { color: var(--muted); }
.tag { font-size: .75rem; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 999px; color: var(--muted); }
.meta { margin-left: auto; color: var(--muted); font-size: .85rem; }
.doc-body { padding: .2rem 1rem .6rem; }
.notes { margin: .6rem 0; }
.note { margin: .3rem 0; color: var(--muted); }
.skip-reason { color: var(--skip); }
.warning { color: var(--skip); }
.prose { line-height: 1.55; }
.prose code { background: var(--panel); padding: .1em .3em; border-radius: 4px; font-size: .9em; }
.prose pre { background: var(--panel); padding: .6rem; border-radius: 6px; overflow: auto; }
.block { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; margin: .8rem 0; overflow: hidden; }
.block[data-status="passed"] { border-left-color: var(--pass); }
.block[data-status="failed"], .block[data-status="timed-out"] { border-left-color: var(--fail); }
.block[data-status="skipped"], .block[data-status="not-run"] { border-left-color: var(--skip); }
.block-head { display: flex; gap: .8rem; align-items: center; padding: .25rem .6rem; background: var(--panel); border-bottom: 1px solid var(--line); font-size: .8rem; color: var(--muted); }
.block-head .label { flex: 1; }
.block-head .status { font-weight: 600; }
.block[data-status="passed"] .status { color: var(--pass); }
.block[data-status="failed"] .status, .block[data-status="timed-out"] .status { color: var(--fail); }
.block[data-status="skipped"] .status, .block[data-status="not-run"] .status { color: var(--skip); }
.code { margin: 0; padding: .4rem 0; background: var(--panel); overflow-x: auto; font-size: .85rem; line-height: 1.45; }
.code .line { display: block; padding-right: .8rem; white-space: pre; }
.code .line::before { content: attr(data-line); display: inline-block; width: 3.4rem; padding-right: .9rem; text-align: right; color: #8c959f; user-select: none; }
.code .failed-line { background: #ffebe9; }
.code .failed-line::before { color: var(--fail); font-weight: 700; }
.hl-b { color: #cf222e; font-weight: 600; } .hl-g { color: #0a3069; } .hl-y { color: #0550ae; }
.hl-d { color: #6e7781; font-style: italic; } .hl-m { color: #8250df; } .hl-c { color: #953800; }
.result { padding: .1rem .6rem; font-size: .85rem; }
.result pre { margin: .35rem 0; white-space: pre-wrap; word-break: break-word; }
.stderr { color: #953800; }
.value { color: #0550ae; }
.reason { color: var(--skip); font-style: italic; margin: .35rem 0; }
.expected { border-top: 1px dashed var(--line); font-size: .85rem; }
.caption { font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); padding: .25rem .6rem; }
.error { border: 1px solid #ff8182; background: #fff8f7; border-radius: 6px; margin: .4rem 0; padding: .4rem .6rem; font-size: .85rem; }
.error-message { color: var(--fail); font-weight: 600; white-space: pre-wrap; word-break: break-word; }
.location { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); margin-bottom: .2rem; }
pre.frame, pre.diff, .stack pre { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: .4rem .6rem; overflow-x: auto; white-space: pre; }
.frame .focus { color: var(--fail); font-weight: 600; }
.diff .add { color: var(--pass); } .diff .del { color: var(--fail); } .diff .hunk { color: var(--muted); }
.stack summary { cursor: pointer; color: var(--muted); }
`;
