import { describe, expect, it } from 'vitest';
import { createContainer } from '../../src/features/create-container.js';
import { shouldUseColor, type Ui } from '../../src/features/ui.js';

describe('ui', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ TERM: 'dumb' }, true, false],
  ])('shouldUseColor(%j, tty=%s) → %s', (env, isTTY, expected) => {
    expect(shouldUseColor(env, isTTY)).toBe(expected);
  });

  it('colours text only when colours are on', () => {
    const container = createContainer();
    const plain = container.feature<Ui>('ui', { colors: false });
    const coloured = container.feature<Ui>('ui', { colors: true });
    expect(plain.colors.green('ok')).toBe('ok');
    expect(coloured.colors.green('ok')).toBe('\u001b[32mok\u001b[39m');
  });

  it('renders Markdown for a terminal', () => {
    const ui = createContainer().feature<Ui>('ui', { colors: false });
    const text = ui.markdown('# Title\n\nSome **bold** text and `code`.\n\n- one\n- two\n');
    expect(text).toBe('# Title\n\nSome bold text and code.\n\n    * one\n    * two\n');
    const coloured = createContainer().feature<Ui>('ui', { colors: true }).markdown('**bold**');
    expect(coloured).toContain('\u001b[1mbold\u001b[22m');
    // Inline Markdown inside list items is rendered too (marked-terminal alone prints it raw).
    expect(ui.markdown('- a **b** `c`\n  - d *e*')).toBe('    * a b c\n        * d e\n');
  });

  it('rejects a non-string with a clear message', () => {
    const ui = createContainer().feature<Ui>('ui');
    expect(() => ui.markdown(42 as unknown as string)).toThrow('ui.markdown() needs a string of Markdown, got number.');
  });

  it('validates its options', () => {
    expect(() => createContainer().feature('ui', { colors: 'auto' })).toThrow(`Invalid options for feature 'ui': 'colors' expected boolean, got "auto" (string).`);
  });
});
