import { fileReporterNames, reporterNames, type ReporterName } from '../runner/reporters/index.js';
import { usageError } from './usage-error.js';

/** A reporter to build and, for json/junit/tap/html, the file it writes (stdout when absent). */
export interface ReporterChoice {
  name: ReporterName;
  file?: string;
}

const writesFiles = (name: ReporterName) => (fileReporterNames as readonly string[]).includes(name);
const list = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join(''));

// `junit:report.xml` names its reporter; anything else (`report.xml`, `C:\x.xml`) is a bare path.
function parseTarget(value: string): { name?: ReporterName; path: string } {
  const colon = value.indexOf(':');
  const prefix = value.slice(0, colon);
  if (colon > 0 && (reporterNames as readonly string[]).includes(prefix)) {
    const path = value.slice(colon + 1);
    if (!path) throw usageError(`--output-file ${value} has no path after the colon. Write it as --output-file ${prefix}:<path>, e.g. ${prefix}:reports/${prefix}.out.`);
    return { name: prefix as ReporterName, path };
  }
  return { path: value };
}

/**
 * Pairs `--reporter` names with `--output-file` values. A value is `name:path`
 * for one reporter, or a bare path for the single json/junit/tap/html reporter
 * selected. Throws a usage error for anything ambiguous or contradictory,
 * including two reporters that would both print to stdout, and an HTML page
 * printed to a terminal.
 */
export function selectReporters(names: ReporterName[], outputFiles: string[], stdoutIsTerminal = Boolean(process.stdout.isTTY)): ReporterChoice[] {
  const chosen: ReporterChoice[] = [...new Set(names)].map((name) => ({ name }));
  const byName = new Map(chosen.map((choice) => [choice.name, choice]));
  const bare: string[] = [];
  for (const value of outputFiles) {
    const { name, path } = parseTarget(value);
    if (!name) {
      bare.push(path);
      continue;
    }
    if (!writesFiles(name)) throw usageError(`--output-file ${value}: the ${name} reporter prints to the terminal and cannot write a file. Only ${list([...fileReporterNames])} write files.`);
    const choice = byName.get(name);
    if (!choice) throw usageError(`--output-file ${value} is for the ${name} reporter, which is not selected. Add --reporter ${name}.`);
    if (choice.file) throw usageError(`--output-file names two files for ${name} (${choice.file}, ${path}). Give each reporter one file.`);
    choice.file = path;
  }
  if (bare.length > 1) throw usageError(`--output-file is given ${bare.length} times without a reporter name (${bare.join(', ')}). Name the reporter of each: --output-file <reporter>:<path>.`);
  if (bare.length === 1) {
    const [path] = bare;
    const open = chosen.filter((choice) => writesFiles(choice.name) && !choice.file);
    if (open.length === 0) throw usageError(`--output-file ${path}: no selected reporter is left to write it (reporters: ${list([...byName.keys()])}). Add --reporter ${list([...fileReporterNames]).replace(' and ', ' or ')}.`);
    if (open.length > 1) {
      const names = open.map((choice) => choice.name);
      throw usageError(`--output-file ${path} is ambiguous: ${list(names)} ${names.length === 2 ? 'both' : 'all'} write files. Say which one: --output-file ${names[0]}:${path}.`);
    }
    open[0].file = path;
  }
  const toStdout = chosen.filter((choice) => !choice.file);
  const document = toStdout.find((choice) => writesFiles(choice.name));
  const other = toStdout.find((choice) => choice !== document);
  if (document && other) {
    throw usageError(`--reporter ${document.name} and --reporter ${other.name} would both print to stdout and mix their output. Give ${document.name} a file: --output-file ${document.name}:<path>.`);
  }
  // A page is for a browser: on a terminal it is a screenful of markup. Piped or redirected, it goes to stdout like the others.
  if (document?.name === 'html' && stdoutIsTerminal) {
    throw usageError('--reporter html writes a web page, and stdout is a terminal. Give it a file: --output-file report.html (or redirect stdout: > report.html).');
  }
  return chosen;
}
