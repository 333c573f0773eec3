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
    expect(twice).toBe(once.replace(when, later.lastTested).replace(new RegExp(`(lastTestPassed:[ \\t]*)${stamp.lastTestPassed}`), `$1${later.lastTestPassed}`));
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
