import { describe, expect, it } from 'vitest';
import { selectReporters } from '../../src/cli/reporter-selection.js';
import type { ReporterName } from '../../src/runner/reporters/index.js';

describe('selectReporters', () => {
  it.each<[string, ReporterName[], string[], { name: ReporterName; file?: string }[]]>([
    ['one reporter, no file', ['pretty'], [], [{ name: 'pretty' }]],
    ['json alone to stdout', ['json'], [], [{ name: 'json' }]],
    ['a bare path goes to the only file reporter', ['pretty', 'json'], ['report.json'], [{ name: 'pretty' }, { name: 'json', file: 'report.json' }]],
    [
      'name:path for each file reporter',
      ['pretty', 'junit', 'tap'],
      ['junit:reports/junit.xml', 'tap:out.tap'],
      [{ name: 'pretty' }, { name: 'junit', file: 'reports/junit.xml' }, { name: 'tap', file: 'out.tap' }],
    ],
    ['a bare path fills the one file reporter left unnamed', ['junit', 'tap'], ['junit:j.xml', 'out.tap'], [{ name: 'junit', file: 'j.xml' }, { name: 'tap', file: 'out.tap' }]],
    ['a path with a colon but no reporter name is bare', ['junit'], ['C:\\ci\\junit.xml'], [{ name: 'junit', file: 'C:\\ci\\junit.xml' }]],
    ['only the first colon splits', ['junit'], ['junit:a:b.xml'], [{ name: 'junit', file: 'a:b.xml' }]],
    ['repeated reporters count once', ['pretty', 'pretty', 'github'], [], [{ name: 'pretty' }, { name: 'github' }]],
    ['pretty and github share stdout', ['pretty', 'github'], [], [{ name: 'pretty' }, { name: 'github' }]],
    ['a bare path goes to html when it is the only file reporter', ['pretty', 'html'], ['report.html'], [{ name: 'pretty' }, { name: 'html', file: 'report.html' }]],
    ['html alone to stdout when stdout is not a terminal', ['html'], [], [{ name: 'html' }]],
  ])('%s', (_name, names, files, expected) => {
    expect(selectReporters(names, files, false)).toEqual(expected);
  });

  it('sends html to a file even when stdout is a terminal', () => {
    expect(selectReporters(['pretty', 'html'], ['html:out/report.html'], true)).toEqual([{ name: 'pretty' }, { name: 'html', file: 'out/report.html' }]);
  });

  it.each<[string, ReporterName[], string[], string]>([
    ['an ambiguous bare path', ['junit', 'tap'], ['report.xml'], '--output-file report.xml is ambiguous: junit and tap both write files. Say which one: --output-file junit:report.xml.'],
    ['a bare path with no file reporter', ['pretty'], ['report.xml'], '--output-file report.xml: no selected reporter is left to write it (reporters: pretty). Add --reporter json, junit, tap or html.'],
    ['two bare paths', ['json', 'junit'], ['a.json', 'b.xml'], '--output-file is given 2 times without a reporter name (a.json, b.xml). Name the reporter of each: --output-file <reporter>:<path>.'],
    ['a file for a reporter that is not selected', ['pretty'], ['junit:r.xml'], '--output-file junit:r.xml is for the junit reporter, which is not selected. Add --reporter junit.'],
    ['a file for a terminal reporter', ['pretty'], ['pretty:out.txt'], '--output-file pretty:out.txt: the pretty reporter prints to the terminal and cannot write a file. Only json, junit, tap and html write files.'],
    ['two files for one reporter', ['junit'], ['junit:a.xml', 'junit:b.xml'], '--output-file names two files for junit (a.xml, b.xml). Give each reporter one file.'],
    ['a name without a path', ['tap'], ['tap:'], '--output-file tap: has no path after the colon. Write it as --output-file tap:<path>, e.g. tap:reports/tap.out.'],
    ['a file reporter on stdout next to pretty', ['pretty', 'junit'], [], '--reporter junit and --reporter pretty would both print to stdout and mix their output. Give junit a file: --output-file junit:<path>.'],
    ['two file reporters on stdout', ['json', 'tap'], ['json:r.json', 'tap:t.tap', 'junit:x'], '--output-file junit:x is for the junit reporter, which is not selected. Add --reporter junit.'],
    ['json and tap both on stdout', ['json', 'tap'], [], '--reporter json and --reporter tap would both print to stdout and mix their output. Give json a file: --output-file json:<path>.'],
    ['an ambiguous bare path between junit and html', ['junit', 'html'], ['report'], '--output-file report is ambiguous: junit and html both write files. Say which one: --output-file junit:report.'],
  ])('rejects %s', (_name, names, files, message) => {
    let thrown: unknown;
    try {
      selectReporters(names, files, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'RUNBOOK_USAGE', message });
  });

  it('refuses to print an HTML page to a terminal, saying how to get the file', () => {
    expect(() => selectReporters(['html'], [], true)).toThrow(
      expect.objectContaining({ code: 'RUNBOOK_USAGE', message: '--reporter html writes a web page, and stdout is a terminal. Give it a file: --output-file report.html (or redirect stdout: > report.html).' }),
    );
  });
});
