import { describe, expect, it } from 'vitest';
import { stampText } from '../../src/markdown/stamp.js';

const when = '2026-01-02T03:04:05.000Z';
const passed = { lastTested: when, lastTestPassed: true };
const failed = { lastTested: when, lastTestPassed: false };

// [name, before, stamp, after]: the whole text is compared, byte for byte.
const cases: [name: string, before: string, stamp: typeof passed, after: string][] = [
  [
    'replaces both values, touches nothing else',
    [
      '---',
      '# a comment that stays',
      "title: 'Quoted: title'",
      'date: 2026-06-29',
      'lastTestPassed: false   # trailing comment',
      'other: "x"   ',
      'lastTested: 2020-01-01T00:00:00.000Z',
      'tags: [a, b]',
      '---',
      '# Body',
      'lastTested: not frontmatter',
      '',
    ].join('\n'),
    passed,
    [
      '---',
      '# a comment that stays',
      "title: 'Quoted: title'",
      'date: 2026-06-29',
      'lastTestPassed: true   # trailing comment',
      'other: "x"   ',
      `lastTested: ${when}`,
      'tags: [a, b]',
      '---',
      '# Body',
      'lastTested: not frontmatter',
      '',
    ].join('\n'),
  ],
  [
    'keeps double quotes and single quotes',
    '---\nlastTested: "2020-01-01" # "q"\nlastTestPassed: true\n---\n',
    failed,
    `---\nlastTested: "${when}" # "q"\nlastTestPassed: false\n---\n`,
  ],
  ['keeps single quotes', "---\nlastTested: 'it''s old'\nlastTestPassed: true\n---\n", passed, `---\nlastTested: '${when}'\nlastTestPassed: true\n---\n`],
  ['fills an empty value', '---\nlastTested:\nlastTestPassed:\n---\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n`],
  ['keeps the spacing after the colon', '---\nlastTested:    old\nlastTestPassed:\tfalse\n---\n', passed, `---\nlastTested:    ${when}\nlastTestPassed:\ttrue\n---\n`],
  [
    'appends missing keys at the end, in order',
    '---\ntitle: T\ndate: 2026-06-29\n---\nbody\n',
    passed,
    `---\ntitle: T\ndate: 2026-06-29\nlastTested: ${when}\nlastTestPassed: true\n---\nbody\n`,
  ],
  [
    'appends only the missing one',
    '---\nlastTestPassed: true\ntitle: T\n---\n',
    failed,
    `---\nlastTestPassed: false\ntitle: T\nlastTested: ${when}\n---\n`,
  ],
  ['an empty frontmatter gets both', '---\n---\nbody\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\nbody\n`],
  [
    'a nested key of the same name is not ours',
    '---\nmeta:\n  lastTested: keep\n---\n',
    passed,
    `---\nmeta:\n  lastTested: keep\nlastTested: ${when}\nlastTestPassed: true\n---\n`,
  ],
  [
    'similar key names are left alone',
    '---\nlastTestedBy: me\n# lastTested: in a comment\n---\n',
    passed,
    `---\nlastTestedBy: me\n# lastTested: in a comment\nlastTested: ${when}\nlastTestPassed: true\n---\n`,
  ],
  [
    'CRLF stays CRLF, replaced and appended lines too',
    '---\r\ntitle: T\r\nlastTested: old # c\r\n---\r\nbody\r\n',
    passed,
    `---\r\ntitle: T\r\nlastTested: ${when} # c\r\nlastTestPassed: true\r\n---\r\nbody\r\n`,
  ],
  [
    'BOM is kept',
    '\uFEFF---\ndate: 2026-06-29\nlastTested: x\nlastTestPassed: false\n---\n# T\n',
    passed,
    `\uFEFF---\ndate: 2026-06-29\nlastTested: ${when}\nlastTestPassed: true\n---\n# T\n`,
  ],
  ['closing with ...', '---\na: 1\n...\nbody\n', passed, `---\na: 1\nlastTested: ${when}\nlastTestPassed: true\n...\nbody\n`],
  ['closing fence at end of file', '---\nlastTested: 1\n---', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---`],
  // No frontmatter: one is created, the body follows unchanged.
  // Forms a line-based edit got wrong: the keys are found by a YAML parser's source ranges.
  [
    'an anchored value keeps its anchor, and the alias its value',
    '---\nlastTested: &t 2020-01-01\nreviewed: *t\nlastTestPassed: false\n---\n',
    passed,
    `---\nlastTested: &t ${when}\nreviewed: &t 2020-01-01\nlastTestPassed: true\n---\n`,
  ],
  [
    'a tagged anchored value: the first alias gets tag and value, later aliases follow it',
    '---\nlastTested: !!str &t 2020-01-01\nseen: [*t, *t]\nagain: *t\n---\n',
    passed,
    `---\nlastTested: !!str &t ${when}\nseen: [&t !!str 2020-01-01, *t]\nagain: *t\nlastTestPassed: true\n---\n`,
  ],
  ['an anchor nobody aliases stays', '---\nlastTested: &t old\nlastTestPassed: &p false\n---\n', passed, `---\nlastTested: &t ${when}\nlastTestPassed: &p true\n---\n`],
  ['a value that is an alias is replaced, its anchor untouched', '---\nbase: &b 2020\nlastTested: *b\n---\n', passed, `---\nbase: &b 2020\nlastTested: ${when}\nlastTestPassed: true\n---\n`],
  ['a flow mapping gets the keys inside its braces', '---\n{title: flow, tags: [a]}\n---\n', passed, `---\n{title: flow, tags: [a], lastTested: ${when}, lastTestPassed: true}\n---\n`],
  ['a flow mapping: replaced in place, the missing key appended', '---\n{lastTested: "x", title: t}\n---\n', failed, `---\n{lastTested: "${when}", title: t, lastTestPassed: false}\n---\n`],
  [
    'a multi-line flow mapping with a trailing comma',
    '---\n{\n  title: flow,\n  lastTestPassed: false,\n}\n---\n',
    passed,
    `---\n{\n  title: flow,\n  lastTestPassed: true, lastTested: ${when},\n}\n---\n`,
  ],
  ['an empty flow mapping', '---\n{}\n---\n', passed, `---\n{lastTested: ${when}, lastTestPassed: true}\n---\n`],
  [
    'quoted keys are the same keys: no duplicate appended',
    '---\n"lastTested": 2020-01-01\n\'lastTestPassed\': false\n---\n',
    passed,
    `---\n"lastTested": ${when}\n'lastTestPassed': true\n---\n`,
  ],
  [
    'a line inside a multi-line double-quoted string is not a key',
    '---\nnote: "first\n  lastTested: inside the string"\nlastTested: old\nlastTestPassed: false\n---\n',
    passed,
    `---\nnote: "first\n  lastTested: inside the string"\nlastTested: ${when}\nlastTestPassed: true\n---\n`,
  ],
  [
    'a multi-line string holding a key-like line, keys missing',
    '---\nnote: "a\n  lastTested: x"\n---\n',
    passed,
    `---\nnote: "a\n  lastTested: x"\nlastTested: ${when}\nlastTestPassed: true\n---\n`,
  ],
  [
    'block scalars keep their style; a boolean becomes a boolean',
    '---\nlastTested: >-\n  2020-01-01\n  more\nlastTestPassed: |\n  true\nnext: 1\n---\n',
    failed,
    `---\nlastTested: >-\n  ${when}\nlastTestPassed: false\nnext: 1\n---\n`,
  ],
  ['a block scalar in CRLF', '---\r\nlastTested: |-   # c\r\n    old\r\n---\r\n', passed, `---\r\nlastTested: |-   # c\r\n    ${when}\r\nlastTestPassed: true\r\n---\r\n`],
  ['!!str and !!bool tags are kept', '---\nlastTested: !!str 2020-01-01\nlastTestPassed: !!bool false\n---\n', passed, `---\nlastTested: !!str ${when}\nlastTestPassed: !!bool true\n---\n`],
  ['a comment between key and value', '---\nlastTested: # when\n  old\nlastTestPassed: false\n---\n', passed, `---\nlastTested: # when\n  ${when}\nlastTestPassed: true\n---\n`],
  ['an empty value before a comment', '---\nlastTested: # none yet\nlastTestPassed:\t# none\n---\n', passed, `---\nlastTested: ${when} # none yet\nlastTestPassed:\ttrue # none\n---\n`],
  ['a plain value over two lines', '---\nlastTested: 2020-01-01\n  continued\nlastTestPassed: true\n---\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n`],
  ['tabs around values and comments', '---\ntitle:\tT\t# tab\nlastTested:\t"x"\t# t\n---\n', passed, `---\ntitle:\tT\t# tab\nlastTested:\t"${when}"\t# t\nlastTestPassed: true\n---\n`],
  ['an indented top-level mapping: appended keys take its indentation', '---\n  title: T\n  date: 2026-06-29\n---\n', passed, `---\n  title: T\n  date: 2026-06-29\n  lastTested: ${when}\n  lastTestPassed: true\n---\n`],
  ['a comment-only frontmatter', '---\n# nothing yet\n---\n', passed, `---\n# nothing yet\nlastTested: ${when}\nlastTestPassed: true\n---\n`],
  ['creates frontmatter', '# Title\n\ntext\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n\n# Title\n\ntext\n`],
  ['creates frontmatter before a blank first line', '\n# T\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n\n# T\n`],
  ['creates frontmatter in an empty file', '', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n`],
  ['creates frontmatter with the file’s CRLF', '# T\r\nx\r\n', failed, `---\r\nlastTested: ${when}\r\nlastTestPassed: false\r\n---\r\n\r\n# T\r\nx\r\n`],
  ['creates frontmatter after the BOM', '\uFEFF# T\n', passed, `\uFEFF---\nlastTested: ${when}\nlastTestPassed: true\n---\n\n# T\n`],
  ['a --- rule later in the body is not frontmatter', '# T\n\n---\n\nmore\n', passed, `---\nlastTested: ${when}\nlastTestPassed: true\n---\n\n# T\n\n---\n\nmore\n`],
];

describe('stampText', () => {
  it.each(cases)('%s', (_name, before, stamp, after) => {
    expect(stampText(before, stamp, 'doc.md')).toBe(after);
  });

  it.each(cases)('%s: stamping again changes only the values', (_name, before, stamp) => {
    const once = stampText(before, stamp, 'doc.md');
    const later = { lastTested: '2027-12-31T23:59:59.999Z', lastTestPassed: !stamp.lastTestPassed };
    const twice = stampText(once, later, 'doc.md');
    expect(twice).toBe(once.replace(when, later.lastTested).replace(new RegExp(`(lastTestPassed['"]?:[ \\t]*(?:[&!]\\S+[ \\t]+)*)${stamp.lastTestPassed}`), `$1${later.lastTestPassed}`));
  });

  // The result is parsed again; a stamp that would change another key's value is not made.
  const refused: [name: string, text: string, message: string][] = [
    [
      'an alias of a multi-line anchored value',
      '---\ntitle: T\nlastTested: &t |\n  2020-01-01\nreviewed: *t\n---\n',
      'doc.md:5: not stamped: the stamp would also change reviewed from "2020-01-01\\n" to "2026-01-02T03:04:05.000Z\\n". Give lastTested and lastTestPassed values that no other key aliases; the file was left untouched.',
    ],
    [
      'two keys aliasing the same value',
      '---\nlastTestPassed: &p |-\n  no\n  really\na: *p\nb: [*p]\n---\n',
      'doc.md:5: not stamped: the stamp would also change a from "no\\nreally" to true (and b). Give lastTested and lastTestPassed values that no other key aliases; the file was left untouched.',
    ],
  ];
  it.each(refused)('refuses a stamp that would change another value (%s)', (_name, text, message) => {
    let caught: unknown;
    try {
      stampText(text, passed, 'doc.md');
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string }).code).toBe('RUNBOOK_STAMP_REFUSED');
    expect((caught as Error).message).toBe(message);
  });

  const invalid: [name: string, text: string, message: string][] = [
    ['bad indentation', '---\ntitle: ok\n  bad: [\n---\nbody\n', 'doc.md:3: invalid YAML in frontmatter: bad indentation of a mapping entry. Fix the frontmatter; the file was left untouched.'],
    ['not a mapping', '---\n- a\n---\n', 'doc.md:2: frontmatter must be a mapping of keys to values.'],
  ];
  it.each(invalid)('refuses invalid YAML (%s) with file:line', (_name, text, message) => {
    let caught: unknown;
    try {
      stampText(text, passed, 'doc.md');
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string }).code).toBe('RUNBOOK_INVALID_FRONTMATTER');
    expect((caught as Error).message).toBe(message);
  });
});
