import { describe, expect, it } from 'vitest';
import { runOptionsSchema } from '../../src/runner/run-options.js';
import { docTestModule } from '../../src/vitest/test-module.js';

const options = runOptionsSchema.parse({ stamp: false, timeout: 5000 });
const head = `import { describe, test, beforeAll, afterAll } from 'vitest';\nimport { docSuite } from "/rt/vitest-runtime.js";\n\n`;
const module = (text: string, opts = options) => docTestModule({ path: '/p/doc.md', text, options: opts, runtime: '/rt/vitest-runtime.js' });
const suite = (opts = options) => `const doc = docSuite("/p/doc.md", ${JSON.stringify(opts)});\n\n`;

describe('docTestModule', () => {
  it('makes a describe per doc and a test per block, named by heading and line, with the block limit plus margin', () => {
    const text = '# Guide\n\n## Setup\n\n```ts\nconst a = 1;\n```\n\n```ts timeout=100\na;\n```\n\n```sh\necho prose only\n```\n\n```text\nnot code\n```\n';
    expect(module(text)).toBe(
      head +
        suite() +
        'describe("Guide", () => {\n' +
        '  beforeAll(() => doc.start());\n' +
        '  afterAll(() => doc.finish(), 16000);\n' +
        '  test("Setup · line 5", { timeout: 16000 }, (context) => doc.block(0, context));\n' +
        '  test("Setup · line 9", { timeout: 11100 }, (context) => doc.block(1, context));\n' +
        '  test.skip("Setup · line 13", () => {});\n' +
        '});\n',
    );
  });

  const cases: [what: string, text: string, expected: string][] = [
    ['a fence that says skip is test.skip', '```ts skip\nx\n```\n', '  test.skip("block 1 · line 1", () => {});'],
    ['eval mode none from the frontmatter skips every block', '---\nevalMode: none\n---\n```ts\nx\n```\n', '  test.skip("block 1 · line 4", () => {});'],
    ['frontmatter timeout sets the test timeout', '---\ntimeout: 200\n---\n```ts\nx\n```\n', '  test("block 1 · line 4", { timeout: 11200 }, (context) => doc.block(0, context));'],
    ['a doc skipped by its frontmatter is describe.skip', '---\nskip: not today\n---\n# T\n```ts\nx\n```\n', 'describe.skip("T (not today)", () => {\n  test('],
    ['a doc that does not parse is one failing test', '---\nevalMode: sometimes\n---\n```ts\nx\n```\n', 'test("/p/doc.md", () => {\n  throw new Error("/p/doc.md: frontmatter evalMode is \\"sometimes\\"; use one of all, optIn, none.");\n});'],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    expect(module(text)).toContain(expected);
  });
});
