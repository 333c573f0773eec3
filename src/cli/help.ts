export const mainHelp = `runbook — run Markdown documents as programs

Usage:
  runbook run <files|globs…> [options]   run docs, check their examples, stamp the result
  runbook --help | --version

Run 'runbook run --help' for the options of run.
Running a doc runs its code, like 'make' or 'npm run' would: read a doc before you run it.
`;

export const runHelp = `Usage: runbook run <files|globs…> [options]

Runs each doc's \`\`\`ts/js blocks in order in one shared context, checks expected
output, and records lastTested/lastTestPassed in the doc's frontmatter.
Globs are expanded by runbook itself, so quote them: runbook run 'docs/**/*.md'

Options:
  --timeout <ms>          per-block timeout (default 30000; frontmatter timeout and
                          the fence token timeout=MS override it)
  --eval-mode <mode>      all | optIn | none — which blocks run (overrides frontmatter);
                          none renders the doc without running anything
  --only-sections <a,b>   run only blocks under these headings (and 'always' blocks)
  --reporter <name>       pretty | literate | json | junit | tap | github (default:
                          literate for one doc in a terminal, pretty otherwise);
                          repeat for several: --reporter pretty --reporter junit
  --output-file <[name:]path>
                          where json, junit or tap writes (default: stdout);
                          name:path for one reporter (junit:reports/junit.xml),
                          repeatable; a bare path goes to the only one selected.
                          Folders are created as needed
  --update                rewrite \`\`\`output fences with the actual output
  --no-stamp              do not write lastTested/lastTestPassed
  --bail                  stop after the first failing doc
  --llm <mode>            record | replay | live | auto — how AI features reach a model
                          (default auto: replay a recording, else live when a key is set)
  --env-file <path>       load environment variables for the docs from a .env file
  -h, --help              show this help

Fence tokens (after the language, e.g. \`\`\`ts silent timeout=5000):
  skip  silent  eval  always  throws  throws="text"  timeout=MS  output
Frontmatter keys:
  evalMode: all|optIn|none  timeout: MS  skip: reason  requires: { env: [NAME] }
  tags: [..]  shell: true (run sh/bash fences)

Exit codes: 0 all docs passed or were skipped, 1 a doc failed, 2 usage or input error.
`;
