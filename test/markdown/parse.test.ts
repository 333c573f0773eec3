import { describe, expect, it } from 'vitest';
import { toDoc } from '../../src/engine/compiled-block.js';
import { parseRunbookText } from '../../src/markdown/parse.js';

// The parts of a block these tests pin down.
function summary(text: string) {
  return parseRunbookText(text, 'doc.md').blocks.map((b) => ({
    lang: b.lang,
    kind: b.kind,
    source: b.source,
    fenceLine: b.fenceLine,
    line: b.line,
    indent: b.indent,
    sections: b.sections,
    fenced: text.slice(b.start, b.end),
  }));
}

const blockCases: [name: string, text: string, expected: ReturnType<typeof summary>][] = [
  [
    'a ts block after a heading',
    '# Title\n\n```ts\nconst a = 1\n```\n',
    [{ lang: 'ts', kind: 'code', source: 'const a = 1', fenceLine: 3, line: 4, indent: 0, sections: ['Title'], fenced: '```ts\nconst a = 1\n```' }],
  ],
  [
    'every executable language, shell languages and prose fences',
    '```typescript\na\n```\n```javascript\nb\n```\n```JS\nc\n```\n```bash\nd\n```\n```sh\ne\n```\n```shell\nf\n```\n```json\n{}\n```\n```\nplain\n```\n',
    [
      { lang: 'typescript', kind: 'code', source: 'a', fenceLine: 1, line: 2, indent: 0, sections: [], fenced: '```typescript\na\n```' },
      { lang: 'javascript', kind: 'code', source: 'b', fenceLine: 4, line: 5, indent: 0, sections: [], fenced: '```javascript\nb\n```' },
      { lang: 'js', kind: 'code', source: 'c', fenceLine: 7, line: 8, indent: 0, sections: [], fenced: '```JS\nc\n```' },
      { lang: 'bash', kind: 'shell', source: 'd', fenceLine: 10, line: 11, indent: 0, sections: [], fenced: '```bash\nd\n```' },
      { lang: 'sh', kind: 'shell', source: 'e', fenceLine: 13, line: 14, indent: 0, sections: [], fenced: '```sh\ne\n```' },
      { lang: 'shell', kind: 'shell', source: 'f', fenceLine: 16, line: 17, indent: 0, sections: [], fenced: '```shell\nf\n```' },
      { lang: 'json', kind: 'other', source: '{}', fenceLine: 19, line: 20, indent: 0, sections: [], fenced: '```json\n{}\n```' },
      { lang: '', kind: 'other', source: 'plain', fenceLine: 22, line: 23, indent: 0, sections: [], fenced: '```\nplain\n```' },
    ],
  ],
  [
    'lines count the frontmatter',
    '---\ntitle: x\ntags: [a]\n---\n\n```ts\n1\n```\n',
    [{ lang: 'ts', kind: 'code', source: '1', fenceLine: 6, line: 7, indent: 0, sections: [], fenced: '```ts\n1\n```' }],
  ],
  [
    'a fence inside a list item: indentation stripped from the source, kept as indent',
    '# L\n\n1. step\n\n   ```ts\n   const a = 1\n     nested()\n   ```\n',
    [{ lang: 'ts', kind: 'code', source: 'const a = 1\n  nested()', fenceLine: 5, line: 6, indent: 3, sections: ['L'], fenced: '```ts\n   const a = 1\n     nested()\n   ```' }],
  ],
  [
    'tilde fences and a longer fence holding a backtick fence',
    '~~~js\nx\n~~~\n\n````md\n```ts\ninner\n```\n````\n',
    [
      { lang: 'js', kind: 'code', source: 'x', fenceLine: 1, line: 2, indent: 0, sections: [], fenced: '~~~js\nx\n~~~' },
      { lang: 'md', kind: 'other', source: '```ts\ninner\n```', fenceLine: 5, line: 6, indent: 0, sections: [], fenced: '````md\n```ts\ninner\n```\n````' },
    ],
  ],
  ['indented (unfenced) code is prose', 'text\n\n    const notRun = 1\n', []],
  [
    'sections follow heading depth',
    '# A\n## B\n### C\n```ts\n1\n```\n## D\n```ts\n2\n```\n# E\n```ts\n3\n```\n',
    [
      { lang: 'ts', kind: 'code', source: '1', fenceLine: 4, line: 5, indent: 0, sections: ['A', 'B', 'C'], fenced: '```ts\n1\n```' },
      { lang: 'ts', kind: 'code', source: '2', fenceLine: 8, line: 9, indent: 0, sections: ['A', 'D'], fenced: '```ts\n2\n```' },
      { lang: 'ts', kind: 'code', source: '3', fenceLine: 12, line: 13, indent: 0, sections: ['E'], fenced: '```ts\n3\n```' },
    ],
  ],
  [
    'headings with inline markup give their text',
    '## Use `ui` *now*\n```ts\n1\n```\n',
    [{ lang: 'ts', kind: 'code', source: '1', fenceLine: 2, line: 3, indent: 0, sections: ['Use ui now'], fenced: '```ts\n1\n```' }],
  ],
  [
    'an empty block',
    '```ts\n```\n',
    [{ lang: 'ts', kind: 'code', source: '', fenceLine: 1, line: 2, indent: 0, sections: [], fenced: '```ts\n```' }],
  ],
  [
    'CRLF: lines and offsets are those of the file',
    '---\r\na: 1\r\n---\r\n# T\r\n\r\n```ts\r\nconst a = 1\r\nconst b = 2\r\n```\r\n',
    [{ lang: 'ts', kind: 'code', source: 'const a = 1\r\nconst b = 2', fenceLine: 6, line: 7, indent: 0, sections: ['T'], fenced: '```ts\r\nconst a = 1\r\nconst b = 2\r\n```' }],
  ],
  [
    'BOM and frontmatter: offsets include the BOM',
    '\uFEFF---\na: 1\n---\n```ts\nx\n```\n',
    [{ lang: 'ts', kind: 'code', source: 'x', fenceLine: 4, line: 5, indent: 0, sections: [], fenced: '```ts\nx\n```' }],
  ],
  [
    'BOM without frontmatter',
    '\uFEFF# Only\n```ts\nx\n```\n',
    [{ lang: 'ts', kind: 'code', source: 'x', fenceLine: 2, line: 3, indent: 0, sections: ['Only'], fenced: '```ts\nx\n```' }],
  ],
  [
    'a fence in a blockquote',
    '> ```sh\n> echo hi\n> ```\n',
    [{ lang: 'sh', kind: 'shell', source: 'echo hi', fenceLine: 1, line: 2, indent: 2, sections: [], fenced: '```sh\n> echo hi\n> ```' }],
  ],
  [
    'a --- line in the body is not frontmatter',
    '# T\n\n---\n\n```ts\n1\n```\n',
    [{ lang: 'ts', kind: 'code', source: '1', fenceLine: 5, line: 6, indent: 0, sections: ['T'], fenced: '```ts\n1\n```' }],
  ],
];

describe('parseRunbookText: blocks', () => {
  it.each(blockCases)('%s', (_name, text, expected) => {
    expect(summary(text)).toEqual(expected);
  });
});

describe('parseRunbookText: expected-output fences', () => {
  const cases: [name: string, text: string, links: [number, number | undefined, number | undefined][]][] = [
    ['output right after a ts block', '```ts\nconsole.log(1)\n```\n\n```text output\n1\n```\n', [[0, 1, undefined], [1, undefined, 0]]],
    ['output after a shell block', '```sh eval\necho 1\n```\n```console output\n1\n```\n', [[0, 1, undefined], [1, undefined, 0]]],
    ['prose in between still links', '```ts\nx\n```\nSome words.\n```text output\n1\n```\n', [[0, 1, undefined], [1, undefined, 0]]],
    ['a json fence in between breaks the link', '```ts\nx\n```\n```json\n{}\n```\n```text output\n1\n```\n', [[0, undefined, undefined], [1, undefined, undefined], [2, undefined, undefined]]],
    ['two outputs: only the first links', '```ts\nx\n```\n```text output\n1\n```\n```text output\n2\n```\n', [[0, 1, undefined], [1, undefined, 0], [2, undefined, undefined]]],
    ['```output with no language is an output fence', '```ts\nx\n```\n```output\n1\n```\n', [[0, 1, undefined], [1, undefined, 0]]],
    ['output first in the doc links to nothing', '```text output\n1\n```\n', [[0, undefined, undefined]]],
    // CommonMark example 134: four spaces of indentation make indented code, not a fence.
    ['indented code starting with ``` is prose and does not break the link', '```ts\nx\n```\n\n    ```\n    aaa\n    ```\n\n```text output\n1\n```\n', [[0, 1, undefined], [1, undefined, 0]]],
  ];
  it.each(cases)('%s', (_name, text, links) => {
    const blocks = parseRunbookText(text, 'doc.md').blocks;
    expect(blocks.map((b) => [b.index, b.expectedOutput, b.expectedOutputOf])).toEqual(links);
    for (const block of blocks) if (block.tokens.output) expect(block.kind).toBe('output');
  });
});

describe('parseRunbookText: frontmatter and title', () => {
  const cases: [name: string, text: string, frontmatter: Record<string, unknown>, title: string][] = [
    ['frontmatter title wins', '---\ntitle: From YAML\n---\n# Heading\n', { title: 'From YAML' }, 'From YAML'],
    ['first level-1 heading', '## Not this\n# This one\n# Nor this\n', {}, 'This one'],
    ['the path when there is no title', 'just text\n', {}, 'doc.md'],
    ['a level-2 heading first is no title', '## Sub\n', {}, 'doc.md'],
    [
      'values keep their YAML types',
      '---\nevalMode: optIn\ntimeout: 500\nskip: false\nrequires:\n  env: [A, B]\ntags:\n  - x\nshell: true\n---\n',
      { evalMode: 'optIn', timeout: 500, skip: false, requires: { env: ['A', 'B'] }, tags: ['x'], shell: true },
      'doc.md',
    ],
    ['empty frontmatter', '---\n---\n# T\n', {}, 'T'],
    ['CRLF frontmatter', '---\r\ntitle: C\r\n---\r\nbody\r\n', { title: 'C' }, 'C'],
    ['frontmatter after a BOM', '\uFEFF---\ntitle: B\n---\n', { title: 'B' }, 'B'],
    ['... closes frontmatter too', '---\ntitle: D\n...\nbody\n', { title: 'D' }, 'D'],
  ];
  it.each(cases)('%s', (_name, text, frontmatter, title) => {
    const doc = parseRunbookText(text, 'doc.md');
    expect(doc.frontmatter).toEqual(frontmatter);
    expect(doc.title).toBe(title);
    expect(doc.text).toBe(text);
  });

  const invalid: [name: string, text: string, message: string][] = [
    ['bad indentation on line 3', '---\ntitle: ok\n  bad: [\n---\n', 'doc.md:3: invalid YAML in frontmatter: bad indentation of a mapping entry.'],
    ['a duplicated key on line 4', '---\na: 1\nb: 2\na: 3\n---\n', 'doc.md:4: invalid YAML in frontmatter: duplicated mapping key.'],
    ['CRLF, BOM and an error on line 3', '\uFEFF---\r\na: 1\r\nb: : c\r\n---\r\n', 'doc.md:3: invalid YAML in frontmatter: '],
    ['an unclosed flow list ends at the closing fence', '---\ntitle: ok\nx: [\n---\n', 'doc.md:4: invalid YAML in frontmatter: unexpected end of the stream within a flow collection.'],
    ['a list is not a mapping', '---\n- a\n- b\n---\n', 'doc.md:2: frontmatter must be a mapping of keys to values.'],
    ['a scalar is not a mapping', '---\njust words\n---\n', 'doc.md:2: frontmatter must be a mapping of keys to values.'],
  ];
  it.each(invalid)('invalid: %s names file:line', (_name, text, message) => {
    let caught: unknown;
    try {
      parseRunbookText(text, 'doc.md');
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string }).code).toBe('RUNBOOK_INVALID_FRONTMATTER');
    expect((caught as Error).message.startsWith(message)).toBe(true);
  });

  it('a bad timeout token names the fence line', () => {
    expect(() => parseRunbookText('# T\n\n```ts timeout=soon\n1\n```\n', 'doc.md')).toThrow(
      "doc.md:3: fence token 'timeout=soon' needs a whole number of milliseconds greater than 0, e.g. timeout=5000.",
    );
  });
});

describe('parseRunbookText: block numbers', () => {
  it('numbers code and shell blocks only, from 1; output and prose fences have none', () => {
    const text = '```ts\n1\n```\n```text output\n1\n```\n```json\n{}\n```\n```sh\nls\n```\n```js\n2\n```\n```console output\n2\n```\n```ts skip\n3\n```\n';
    const blocks = parseRunbookText(text, 'doc.md').blocks;
    expect(blocks.map((b) => [b.index, b.kind, b.number])).toEqual([
      [0, 'code', 1],
      [1, 'output', undefined],
      [2, 'other', undefined],
      [3, 'shell', 2],
      [4, 'code', 3],
      [5, 'output', undefined],
      [6, 'code', 4],
    ]);
  });
});

describe('parseRunbookText: columns inside containers', () => {
  // Where each source line's code starts in the file, as toDoc maps column 0 of it.
  const starts = (text: string) => parseRunbookText(text, 'doc.md').blocks.map((b) => b.source.split(/\r?\n/).map((_, i) => toDoc(b, i, 0)));
  const cases: [name: string, text: string, starts: { line: number; column: number }[][]][] = [
    ['top level', '```ts\na\n  b\n```\n', [[{ line: 2, column: 1 }, { line: 3, column: 1 }]]],
    ['a list item indented with a tab', '-\t```ts\n\ta\n\t\tb\n\t```\n', [[{ line: 2, column: 2 }, { line: 3, column: 2 }]]],
    ['an ordered list item indented with a tab', '1.\t```ts\n\ta\n\t```\n', [[{ line: 2, column: 2 }]]],
    ['a block quote whose lines have no space after >', '> ```ts\n>a\n>  b\n> ```\n', [[{ line: 2, column: 2 }, { line: 3, column: 3 }]]],
    ['a fence with no space after > either', '>```ts\n>a\n> b\n>```\n', [[{ line: 2, column: 2 }, { line: 3, column: 3 }]]],
    ['content indented less than the fence', '  ```ts\na\n b\n   c\n  ```\n', [[{ line: 2, column: 1 }, { line: 3, column: 2 }, { line: 4, column: 3 }]]],
    ['a list in a block quote, a tab on one line, CRLF', '> - ```ts\r\n>   a\r\n>\tb\r\n>   ```\r\n', [[{ line: 2, column: 5 }, { line: 3, column: 3 }]]],
    ['a list item holding a fence with a blank line (uniform: no per-line indents needed)', '- x\n\n  ```ts\n  a\n\n  b\n  ```\n', [[{ line: 4, column: 3 }, { line: 5, column: 3 }, { line: 6, column: 3 }]]],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(starts(text)).toEqual(expected);
  });

  it('maps every character of the source to the same character of the file', () => {
    for (const [, text] of cases) {
      const fileLines = text.split(/\r?\n/);
      for (const block of parseRunbookText(text, 'doc.md').blocks) {
        block.source.split(/\r?\n/).forEach((code, i) => {
          for (let column = 0; column < code.length; column++) {
            if (code[column] === ' ') continue; // may stand for part of a tab
            const at = toDoc(block, i, column);
            expect(fileLines[at.line - 1]![at.column - 1], `${JSON.stringify(text)} line ${i} column ${column}`).toBe(code[column]);
          }
        });
      }
    }
  });

  it('keeps no per-line indents when every line starts at the fence column', () => {
    const [block] = parseRunbookText('1. step\n\n   ```ts\n   a\n\n     b\n   ```\n', 'doc.md').blocks;
    expect(block!.lineIndents).toBeUndefined();
  });
});
