// Writes the benchmark corpus in the form each tool can run. Every doc has ten
// small TypeScript blocks that build on each other's bindings; the last one
// checks the state they built. The same work is given to every tool:
//   runbook           ```ts fences sharing state, all docs in one call
//   zx                ```js fences (zx has no TypeScript on Node 20), one .md per call
//   markdown-doctest  ```js fences under its <!-- share-code-between-examples --> comment, one call
//   deno              ```ts fences made self-contained (deno test --doc runs each block alone), one call
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const forms = ['runbook', 'zx', 'doctest', 'deno'];

// One step of a doc: TypeScript source, and how much of the shared state it needs.
function steps(doc, blocks) {
  const out = [
    {
      ts: `interface Item { name: string; qty: number }\nconst items: Item[] = [];\nlet total: number = 0;`,
      js: `const items = [];\nlet total = 0;`,
    },
  ];
  for (let k = 2; k < blocks; k++) {
    out.push({
      ts: `items.push({ name: 'doc${doc}-item${k}', qty: ${k} });\ntotal += ${k};\nconst label${k}: string = items[items.length - 1]!.name.toUpperCase();`,
      js: `items.push({ name: 'doc${doc}-item${k}', qty: ${k} });\ntotal += ${k};\nconst label${k} = items[items.length - 1].name.toUpperCase();`,
    });
  }
  const check = `const sum = items.reduce((acc, item) => acc + item.qty, 0);\nif (sum !== total || items.length !== ${blocks - 2}) throw new Error('doc${doc}: state was not shared');`;
  out.push({ ts: check.replace('(acc, item)', '(acc: number, item: Item)'), js: check });
  return out;
}

// deno runs every block as its own module: each one declares what it uses.
function selfContained(doc, k) {
  return (
    `interface Item { name: string; qty: number }\nconst items: Item[] = [];\nlet total: number = 0;\n` +
    `items.push({ name: 'doc${doc}-item${k}', qty: ${k} });\ntotal += ${k};\n` +
    `const sum = items.reduce((acc: number, item: Item) => acc + item.qty, 0);\nif (sum !== total) throw new Error('doc${doc}: wrong sum');`
  );
}

function fence(lang, code) {
  return `\`\`\`${lang}\n${code}\n\`\`\`\n`;
}

/** The text of doc number `doc` with `blocks` blocks, in one tool's form. */
export function docText(form, doc, blocks = 10) {
  const parts = [`# Doc ${doc}\n`];
  if (form === 'doctest') parts.push('<!-- share-code-between-examples -->\n');
  steps(doc, blocks).forEach((step, i) => {
    parts.push(`Step ${i + 1} of doc ${doc}.\n`);
    if (form === 'runbook') parts.push(fence('ts', step.ts));
    else if (form === 'deno') parts.push(fence('ts', selfContained(doc, i + 1)));
    else parts.push(fence('js', step.js));
  });
  return parts.join('\n');
}

/** A doc with a single small block: the cold-start case. */
export function oneBlockText(form) {
  const ts = `const greeting: string = 'hello';\nif (greeting.length !== 5) throw new Error('bad greeting');`;
  const js = `const greeting = 'hello';\nif (greeting.length !== 5) throw new Error('bad greeting');`;
  return `# One block\n\n${fence(form === 'runbook' || form === 'deno' ? 'ts' : 'js', form === 'runbook' || form === 'deno' ? ts : js)}`;
}

/**
 * Writes `docs` docs of `blocks` blocks in every form under `dir/<form>/`, plus
 * `dir/<form>-one/one.md`. Returns the file lists by form.
 */
export function writeCorpus(dir, { docs = 20, blocks = 10, formsWanted = forms } = {}) {
  rmSync(dir, { recursive: true, force: true });
  const files = {};
  for (const form of formsWanted) {
    const folder = join(dir, form);
    mkdirSync(folder, { recursive: true });
    files[form] = [];
    for (let doc = 1; doc <= docs; doc++) {
      const file = join(folder, `doc-${String(doc).padStart(3, '0')}.md`);
      writeFileSync(file, docText(form, doc, blocks));
      files[form].push(file);
    }
    const oneFolder = join(dir, `${form}-one`);
    mkdirSync(oneFolder, { recursive: true });
    writeFileSync(join(oneFolder, 'one.md'), oneBlockText(form));
    files[`${form}-one`] = [join(oneFolder, 'one.md')];
  }
  return files;
}
