import { stripVTControlCharacters } from 'node:util';
import { escapeHtml } from '../../notebook/doc-segments.js';
import { showControls } from '../../output-text.js';

/**
 * Any text a run produced (output, values, messages, paths) as HTML text or
 * attribute value: terminal colour codes dropped, other control characters
 * shown as their control pictures (␀, ␍), markup and quotes escaped.
 */
export function textHtml(text: string): string {
  return escapeHtml(showControls(stripVTControlCharacters(text)));
}
