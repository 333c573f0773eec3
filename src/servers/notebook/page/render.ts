/// <reference lib="dom" />
import type { BlockView, CodeSegment, Segment } from '../notebook-protocol.js';
import type { ErrorReport } from '../../../engine/error-report.js';

// The notebook page's DOM, built from the server's messages. Attributes
// `data-block`, `data-status`, `data-output` and `data-action` are the stable
// hooks tests (and users' scripts) rely on.

/** An element with its class and children (text or elements). */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function button(action: string, label: string, title: string, index?: number): HTMLElement {
  const attributes: Record<string, string> = { 'data-action': action, title, type: 'button' };
  if (index !== undefined) attributes['data-index'] = String(index);
  return el('button', attributes, label);
}

function codeLines(segment: CodeSegment): HTMLElement {
  const pre = el('pre', { class: 'code' });
  segment.lines.forEach((html, offset) => {
    const line = el('span', { class: 'line' }, el('span', { class: 'ln' }, String(segment.line + offset)));
    const source = el('span', { class: 'src' });
    // Built by the server from escaped text (see runner/notebook/doc-segments.ts).
    source.innerHTML = html || ' ';
    line.append(source);
    pre.append(line);
  });
  return pre;
}

function blockElement(segment: CodeSegment): HTMLElement {
  const head = el('div', { class: 'block-head' });
  const label = segment.number !== undefined ? `block ${segment.number}` : 'fence';
  head.append(el('span', { class: 'label' }, `${label} · ${segment.lang || 'text'}${segment.info ? ` · ${segment.info}` : ''}`));
  if (segment.runnable) {
    head.append(el('span', { class: 'status', 'data-status-label': '' }, 'idle'));
    head.append(button('run', '▶ Run', 'Run this block in the live context', segment.index));
    head.append(button('run-from', '▶▶ Run from here', 'Run this block and every one after it, until one fails', segment.index));
  }
  const block = el('section', { class: `block${segment.runnable ? '' : ' inert'}`, 'data-block': String(segment.index), 'data-status': 'idle' }, head, codeLines(segment));
  if (segment.expected !== undefined) block.append(el('div', { class: 'expected' }, el('div', { class: 'caption' }, 'expected output'), el('pre', {}, segment.expected)));
  if (segment.runnable) block.append(el('div', { class: 'output', 'data-output': '' }));
  return block;
}

/** The doc's segments as elements, in order. */
export function renderSegments(segments: Segment[]): HTMLElement[] {
  return segments.map((segment) => {
    if (segment.kind === 'code') return blockElement(segment);
    const prose = el('div', { class: 'prose' });
    // Rendered by the server with the doc's raw HTML escaped.
    prose.innerHTML = segment.html;
    return prose;
  });
}

function diffElement(diff: string): HTMLElement {
  const pre = el('pre', { class: 'diff' });
  for (const line of diff.split('\n')) {
    const kind = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    pre.append(el('span', { class: kind }, `${line}\n`));
  }
  return pre;
}

/** A failure: message, `doc.md:LINE:COL`, the code frame, and an output diff when the output differed. */
export function errorElement(error: ErrorReport): HTMLElement {
  const box = el('div', { class: 'error', 'data-error': '' });
  const head = el('div', { class: 'error-message' }, `${error.name && !error.message.startsWith(error.name) ? `${error.name}: ` : ''}${error.message}`);
  box.append(head);
  if (error.location) box.append(el('div', { class: 'location', 'data-location': '' }, error.location));
  if (error.frame) box.append(el('pre', { class: 'frame' }, error.frame));
  if (error.diff) box.append(diffElement(error.diff));
  return box;
}

/** An inspected value: long ones fold, so an object is expanded on demand. */
export function valueElement(value: string): HTMLElement {
  const lines = value.split('\n');
  if (lines.length <= 6) return el('pre', { class: 'value', 'data-value': '' }, `→ ${value}`);
  const details = el('details', { class: 'value', 'data-value': '' }, el('summary', {}, `→ ${lines[0]} … (${lines.length} lines)`), el('pre', {}, value));
  return details;
}

/** Fills a block's output area from its view: its streams, then its value or failure. */
export function renderView(block: HTMLElement, view: BlockView): void {
  block.dataset.status = view.status;
  const label = block.querySelector('[data-status-label]');
  if (label) label.textContent = view.status + (view.durationMs !== undefined && view.status !== 'running' ? ` · ${view.durationMs} ms` : '');
  const output = block.querySelector<HTMLElement>('[data-output]');
  if (!output) return;
  output.replaceChildren(el('pre', { class: 'stdout', 'data-stdout': '' }, view.stdout), el('pre', { class: 'stderr', 'data-stderr': '' }, view.stderr));
  if (view.value !== undefined) output.append(valueElement(view.value));
  if (view.reason && view.status !== 'passed') output.append(el('div', { class: 'reason' }, view.reason));
  if (view.error) output.append(errorElement(view.error));
}

/** Appends streamed output to a running block. */
export function appendOutput(block: HTMLElement, stream: 'stdout' | 'stderr', text: string): void {
  const pre = block.querySelector<HTMLElement>(stream === 'stdout' ? '[data-stdout]' : '[data-stderr]');
  pre?.append(text);
}
