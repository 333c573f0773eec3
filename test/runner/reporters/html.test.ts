import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunbookText } from '../../../src/markdown/parse.js';
import { docStart } from '../../../src/runner/events.js';
import { HtmlReporter } from '../../../src/runner/reporters/html.js';
import { blockIdentity, summarize } from '../../../src/runner/results.js';
import { makeDocs } from '../../support/cli.js';

describe('HtmlReporter', () => {
  it('renders each doc as it ran, though the file has changed or gone since, into a new folder', async () => {
    const text = '# Ran\n\nThe prose it ran with.\n\n```ts\n1 + 1\n```\n';
    const dir = makeDocs({ 'doc.md': text });
    const path = join(dir, 'doc.md');
    const parsed = parseRunbookText(text, path);
    const reporter = new HtmlReporter(join(dir, 'deep', 'er', 'report.html'));
    reporter.onDocStart(docStart(path, parsed));
    rmSync(path);
    const result = { path, title: 'Ran', tags: [], status: 'passed' as const, durationMs: 4, cleanedUp: [], stamped: false, warnings: [] };
    await reporter.onRunEnd(summarize([{ ...result, blocks: [{ ...blockIdentity(parsed.blocks[0]!), status: 'passed', stdout: '', stderr: '', value: '2' }] }], 4));
    const html = readFileSync(join(dir, 'deep', 'er', 'report.html'), 'utf8');
    expect(html).toContain('<p>The prose it ran with.</p>');
    expect(html).toContain('<span class="line" data-line="6"><span class="hl-y">1</span> + <span class="hl-y">1</span></span>');
    expect(html).toContain('<pre class="value" data-value>→ 2</pre>');
    expect(html).not.toContain('not shown');
  });
});
