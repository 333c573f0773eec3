export const mainHelp = `runbook — run Markdown documents as programs

Usage:
  runbook run <files|globs…> [options]   run docs, check their examples, stamp the result
  runbook run <doc> --console            run a doc, then a REPL holding everything it made
  runbook check <files|globs…>           type-check docs' TypeScript blocks, without running them
  runbook list <files|globs…> [--json]   each doc's title, tags, blocks that would run, last stamp
  runbook open <doc.md>                  the doc as a notebook in the browser, its context live
  runbook merge-reports <reports…>       shards' JSON reports as one report (pretty, junit, tap, html, json…)
  runbook help <command>                 a command's options (as runbook <command> --help)
  runbook --help | --version

Run 'runbook help <command>' (run, check, list, open, merge-reports), or
'runbook <command> --help', for its options.
With no files, run, check and list use the 'docs' globs of runbook.config.ts (.mts/.js/.mjs/.json),
found from the working folder upwards.
Running a doc runs its code, like 'make' or 'npm run' would: read a doc before you run it.
`;

export const runHelp = `Usage: runbook run <files|globs…> [options]

Runs each doc's \`\`\`ts/js blocks in order in one shared context, checks expected
output, and records lastTested/lastTestPassed in the doc's frontmatter.
Globs are expanded by runbook itself, so quote them: runbook run 'docs/**/*.md'
'-' reads one doc from stdin (named <stdin> in reports, run from the working folder,
never stamped): generate-doc | runbook run -

Options:
  --timeout <ms>          per-block timeout (default 30000, at most 2147483647;
                          frontmatter timeout and the fence token timeout=MS override it)
  --eval-mode <mode>      all | optIn | none — which blocks run (overrides frontmatter);
                          none renders the doc without running anything (reported
                          as not run, never as passed)
  --only-sections <a,b>   run only blocks under these headings (and 'always' blocks)
  --reporter <name>       pretty | literate | json | junit | tap | html | github
                          (default: literate for one doc in a terminal, pretty
                          otherwise); repeat for several: --reporter pretty
                          --reporter junit. html is one self-contained page.
                          Under GitHub Actions, github is added (see docs/ci.md)
  --output-file <[name:]path>
                          where json, junit, tap or html writes (default: stdout;
                          html refuses a terminal: give it a file);
                          name:path for one reporter (junit:reports/junit.xml),
                          repeatable; a bare path goes to the only one selected.
                          Folders are created as needed; a path that cannot be
                          written stops the run before any doc runs (exit 2)
  --update                rewrite \`\`\`output fences with the actual output
  --no-stamp              do not write lastTested/lastTestPassed (config: stamp: false;
                          --stamp stamps whatever the config says)
  --bail                  stop after the first failing doc
  -j, --jobs <n>          docs run in parallel in n executor processes (default: one per
                          core; a run of under 50 docs keeps to one until it has taken
                          half a second). runbook itself never runs doc code: an executor
                          does, and is replaced when a doc leaves it changed
  --doc-timeout <ms>      limit for a whole doc (every block counts against it)
  --max-doc-size <size>   refuse larger docs before reading them (default 10MB;
                          e.g. 512kB, 50MB, or bytes)
  --shard <i/n>           run the i-th of n deterministic slices of the docs (CI matrices)
  --tag <tag>             only docs whose frontmatter tags include it (repeatable)
  --filter <text>         only docs whose path contains the text
  --strict-leaks          fail a doc that leaves servers, timers or processes running
  --fail-on-skip          a skipped doc (skip, unmet requires, no LLM key) fails the run
                          (exit 1): for CI that must not pass without its keys
  --typecheck             type-check every doc first (as 'runbook check' does); a doc
                          with type errors fails with them and nothing of it runs
  --llm <mode>            record | replay | live | auto — how AI features reach a model
                          (default auto: replay a recording, else live when a key is set)
  --env-file <path>       load environment variables for the docs from a .env file
                          (with Node 20, run 'runbook' or 'node -- bin/runbook.js':
                          plain 'node bin/runbook.js' lets Node read the file first)
  --config <path>         use this config file instead of the nearest runbook.config.*
  -h, --help              show this help

Interactive (in a terminal; the docs run in this process):
  --console               after the doc runs (pass or fail), open a REPL in its context:
                          every variable, feature and server is there, top-level await
                          works; .blocks lists the blocks, .run N runs block N again;
                          .exit or Ctrl-D cleans up. One doc only
  --step                  show each block and ask: run, skip or quit (quit cleans up and
                          does not stamp; Ctrl-C, here as anywhere, also exits 130)
  --watch                 run again when a doc or a local file it imports changes;
                          Ctrl-C stops

Fence tokens (after the language, e.g. \`\`\`ts silent timeout=5000):
  skip  silent  eval  always  throws  throws="text"  timeout=MS  output
Frontmatter keys:
  evalMode: all|optIn|none  timeout: MS  skip: reason  requires: { env: [NAME] }
  tags: [..]  shell: true (run sh/bash fences)

Config file (runbook.config.ts; flags win over it):
  export default { docs: ['docs/**/*.md'], timeout: 10000, docTimeout: 60000,
    reporters: ['pretty'], jobs: 4, maxDocSize: '20MB', evalMode: 'all', llm: 'replay',
    failOnSkip: true, features: [MyFeature] }

Environment:
  RUNBOOK_CACHE_DIR       where runbook keeps its caches (default $XDG_CACHE_HOME/runbook,
                          else ~/.cache/runbook): compiled docs, transpiled blocks and a
                          code cache of runbook itself, all keyed by content
  RUNBOOK_CACHE=off       use no cache (every run parses and transpiles everything)
  RUNBOOK_CACHE_MAX_MB    the most each cache folder keeps (default 256): once a day a run
                          removes its oldest entries past that, and folders of older formats
                          Cache folders are made 0700; one other users could write is refused

Secrets: values (4+ characters) of variables named like *KEY*, *TOKEN*, *SECRET*,
*PASSWORD*, *PASS*, the API key and auth headers are shown as [REDACTED]

Exit codes: 0 all docs passed, were skipped or did not run, 1 a doc failed (with
--fail-on-skip, also a skipped one), 2 usage or input error, 130 Ctrl-C.
`;

export const checkHelp = `Usage: runbook check <files|globs…> [options]

Type-checks each doc's \`\`\`ts (typescript, tsx, mts) blocks without running anything.
A doc is checked as the notebook it is: a block sees what earlier blocks declared,
with their types, and may declare a name again. Imports resolve as when the doc
runs (the doc's folder's node_modules, local .ts files), under the nearest
tsconfig.json's options. The globals are typed: container (container.feature(name)
gives that feature's class), ui, fs, networking, proc, z and $doc.
Errors are reported like runtime ones: doc.md:LINE:COL TS2322: … with a code frame.
Not checked: js blocks (unless their first line is // @ts-check, as in a .js file),
a fence with the token nocheck, a doc whose frontmatter says typecheck: false.
Needs the typescript package (the project's own, else runbook's). Results are
cached by content: an unchanged doc is not checked again.
'runbook run --typecheck' checks first and does not run a doc with type errors.

Options:
  --reporter <name>       pretty | literate | json | junit | tap | html | github
                          (default pretty); repeat for several. Under GitHub
                          Actions, github is added
  --output-file <[name:]path>
                          where json/junit/tap/html write (default: stdout)
  --config <path>         use this config file instead of the nearest runbook.config.*
  -h, --help              show this help

Exit codes: 0 no type errors, 1 a doc has type errors, 2 usage or input error.
`;

export const listHelp = `Usage: runbook list <files|globs…> [options]

Lists docs without running them: title, tags, code blocks, which blocks 'runbook run'
would run under the doc's eval mode, and the last stamp (lastTested, pass/fail).
Fits the terminal's width (80 columns when stdout is not a terminal): a table when
every row fits, else a few wrapped lines per doc.
With no files, uses the 'docs' globs of runbook.config.ts.

Options:
  --json                  print JSON (an array with one object per doc) instead of a table
  --eval-mode <mode>      all | optIn | none — list as if run with this eval mode
  --config <path>         use this config file instead of the nearest runbook.config.*
  -h, --help              show this help

Exit codes: 0 listed, 1 a doc could not be read or parsed, 2 usage error.
`;

export const openHelp = `Usage: runbook open <doc.md> [options]

Opens one doc as a notebook in the browser. The doc's context lives in an
executor process, as in 'runbook run'; nothing runs until you ask:
  ▶ Run              run one block in the live context (again and again)
  ▶▶ Run from here   that block and every one after it, until one fails
  Run all            the whole doc in a fresh context, as 'runbook run' runs it
                     (deadlines, output fences, the stamp unless --no-stamp)
  Restart            a fresh context: every name the doc declared is gone
  console            at the bottom: Enter evaluates TypeScript in the doc's context
Editing the doc on disk updates the page; the context is kept, and a block whose
code changed is idle again.

The first line printed is the page's URL with its secret token:
  runbook notebook: http://127.0.0.1:PORT/?token=…
Every request needs the token; the page's websocket also needs the page's own
Origin, and a Host header naming this machine (against DNS rebinding).

Options:
  --port <n>              port to listen on (default 0: a free one)
  --host <h>              interface to bind (default 127.0.0.1; anything else lets
                          other machines reach the page — they still need the token)
  --no-browser            do not open a browser (print the URL only)
  --no-stamp              "Run all" does not write lastTested/lastTestPassed
                          (config: stamp: false; --stamp overrides it)
  --timeout <ms>          per-block timeout of "Run all" and single runs (default 30000)
  --config <path>         use this config file instead of the nearest runbook.config.*
  -h, --help              show this help

Ctrl-C (or SIGTERM) disposes the doc's context, stops its executor and the server.
Exit codes: 130/143 after Ctrl-C/SIGTERM, 2 usage error.
`;

/** merge-reports' help: `reporters` are the ones it can render, `schemaVersion` the report version it reads. */
export function mergeReportsHelp(reporters: readonly string[], schemaVersion: number): string {
  return `Usage: runbook merge-reports <json reports…> [options]

Turns the JSON reports of a sharded run into one report, as if one machine had
run every doc: a CI matrix runs 'runbook run --shard i/n --reporter json
--output-file shard-i.json' in each job, and one job merges their reports:
  runbook merge-reports reports/*.json --reporter junit --output-file junit.xml
The docs are listed in the order an unsharded run lists them (sorted by path);
the run's time is its longest shard's. Every report is read and checked against
the report's schema (schemaVersion ${schemaVersion}) before anything is written; a doc
in two reports is an error.

Options:
  --reporter <name>       ${reporters.join(' | ')} (default pretty);
                          repeat for several: --reporter pretty --reporter junit
  --output-file <[name:]path>
                          where a file reporter writes (default: stdout); name:path
                          for one reporter (junit:reports/junit.xml), repeatable
  -h, --help              show this help

Exit codes: 0 every doc passed or was skipped, 1 a doc failed, 2 usage error or a
report that cannot be read, is not JSON, or is not a report of schemaVersion ${schemaVersion}.
`;
}

/** Each command's help, by command name (merge-reports' names the reporters: main.ts loads it with the command). */
export const commandHelp: Record<string, string> = { run: runHelp, check: checkHelp, list: listHelp, open: openHelp };
