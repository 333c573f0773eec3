import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type TS from 'typescript';
import { toDoc } from '../compiled-block.js';
import { notebookFiles, type BlockFile, type CheckedBlock } from './notebook-files.js';

/** A doc to check: its path and the blocks that are checked. */
export interface CheckedDoc {
  /** Absolute path of the Markdown file. */
  path: string;
  blocks: CheckedBlock[];
}

/** A type error, located in the Markdown file. */
export interface TypeDiagnostic {
  /** The block it is in. */
  blockIndex: number;
  line: number;
  column: number;
  /** e.g. 2322, shown as TS2322. */
  code: number;
  message: string;
}

/** A doc's type errors, and the files besides the doc that its check read (its local imports, the tsconfig). */
export interface DocCheck {
  diagnostics: TypeDiagnostic[];
  inputs: string[];
}

/** What the checker needs of the package's own files: the types docs' globals have. */
export interface CheckerSetup {
  /** Absolute path of the package's dist/index.d.ts (the `runbook` types). */
  apiTypes: string;
  /** Global names a doc gets for features, by feature name (e.g. ['ui', 'fs']). */
  globalFeatures: readonly string[];
  /** Where runbook's own @types are (e.g. @types/node), for docs whose project has none. */
  ownTypeRoot?: string;
}

// The options a doc runs under whatever the project's tsconfig says: its code
// is not emitted, modules resolve as a bundler (and Node's hooks) would, and
// every block may use top-level await and import `.ts` files by name; a `js`
// block that opted in with `// @ts-check` is checked as a .js file (only such
// blocks are in the program; errors in other files are not reported).
const forced: TS.CompilerOptions = { noEmit: true, allowImportingTsExtensions: true, isolatedModules: false, verbatimModuleSyntax: false, skipLibCheck: true, allowJs: true, checkJs: true };

// The @types folders TypeScript would look in from the doc's folder up, then runbook's own.
function typeRoots(docDir: string, own: string | undefined): string[] {
  const roots: string[] = [];
  for (let dir = docDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@types');
    if (existsSync(candidate)) roots.push(candidate);
    if (dirname(dir) === dir) break;
  }
  if (own && !roots.includes(own)) roots.push(own);
  return roots;
}

function compilerOptions(ts: typeof TS, docDir: string, configFile: string | undefined, setup: CheckerSetup): TS.CompilerOptions {
  let base: TS.CompilerOptions = { strict: true };
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed) base = parsed.options;
  }
  // Docs run on Node: its types are there unless the project chose its own.
  base = { ...base, types: base.types ?? ['node'], typeRoots: base.typeRoots ?? typeRoots(docDir, setup.ownTypeRoot) };
  const target = base.target !== undefined && base.target >= ts.ScriptTarget.ES2022 ? base.target : ts.ScriptTarget.ES2022;
  return { ...base, ...forced, target, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: base.jsx ?? ts.JsxEmit.ReactJSX };
}

/** The globals every doc has, as one declaration file. */
function globalsFile(setup: CheckerSetup): string {
  const api = JSON.stringify(setup.apiTypes.replace(/\.d\.ts$/, '.js'));
  const features = setup.globalFeatures.map((name) => `  var ${name}: import(${api}).FeatureTypes[${JSON.stringify(name)}];`);
  return [
    'export {};',
    'declare global {',
    `  var container: import(${api}).Container;`,
    `  var z: typeof import(${api}).z;`,
    '  var $doc: { path: string; dir: string; title: string; frontmatter: Record<string, unknown> };',
    ...features,
    '}',
    '',
  ].join('\n');
}

function position(file: BlockFile, sourceFile: TS.SourceFile, start: number): { line: number; column: number } | undefined {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  const codeLine = line - file.codeStart;
  if (codeLine < 0 || codeLine >= file.codeLines) return undefined; // in the lines the checker added
  return toDoc(file.block, codeLine, character);
}

/**
 * Type-checks docs as the notebooks they are, in one TypeScript program per
 * group of docs that share compiler options (their nearest tsconfig.json).
 * Errors in the lines the checker adds are not the doc's and are dropped.
 */
export function checkDocs(ts: typeof TS, docs: CheckedDoc[], setup: CheckerSetup): Map<string, DocCheck> {
  const results = new Map<string, DocCheck>(docs.map((doc) => [doc.path, { diagnostics: [], inputs: [] }]));
  const groups = new Map<string, { options: TS.CompilerOptions; docs: CheckedDoc[] }>();
  for (const doc of docs) {
    const docDir = dirname(doc.path);
    const configFile = ts.findConfigFile(docDir, (file) => existsSync(file));
    const key = configFile ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { options: compilerOptions(ts, docDir, configFile, setup), docs: [] }));
    group.docs.push(doc);
  }
  for (const group of groups.values()) checkGroup(ts, group.options, group.docs, setup, results);
  return results;
}

function checkGroup(ts: typeof TS, options: TS.CompilerOptions, docs: CheckedDoc[], setup: CheckerSetup, results: Map<string, DocCheck>): void {
  const virtual = new Map<string, { text: string; doc: string; file?: BlockFile }>();
  for (const doc of docs) {
    for (const file of notebookFiles(ts, doc.path, doc.blocks)) virtual.set(file.fileName, { text: file.text, doc: doc.path, file });
  }
  const globals = `${dirname(setup.apiTypes)}/__runbook_doc_globals.d.ts`;
  virtual.set(globals, { text: globalsFile(setup), doc: '' });
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.text ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const entry = virtual.get(name);
    return entry ? ts.createSourceFile(name, entry.text, languageVersion) : getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const located = locate(ts, diagnostic, virtual);
    if (located) results.get(located.doc)?.diagnostics.push(located.diagnostic);
  }
  // What else the result depends on: files outside packages and TypeScript's own libraries (packages change with a lockfile).
  const inputs = program
    .getSourceFiles()
    .map((file) => file.fileName)
    .filter((name) => !virtual.has(name) && !/[\\/]node_modules[\\/]/.test(name));
  if (typeof options.configFilePath === 'string') inputs.push(options.configFilePath);
  for (const doc of docs) results.get(doc.path)!.inputs = inputs;
}

function locate(ts: typeof TS, diagnostic: TS.Diagnostic, virtual: Map<string, { text: string; doc: string; file?: BlockFile }>): { doc: string; diagnostic: TypeDiagnostic } | undefined {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const sourceFile = diagnostic.file;
  if (!sourceFile || diagnostic.start === undefined) return undefined; // an option problem: not any doc's
  const entry = virtual.get(sourceFile.fileName);
  if (!entry?.file) return undefined; // in a package or the globals: reported through the doc's own use of it
  const at = position(entry.file, sourceFile, diagnostic.start);
  if (!at) return undefined;
  return { doc: entry.doc, diagnostic: { blockIndex: entry.file.block.index, line: at.line, column: at.column, code: diagnostic.code, message } };
}

