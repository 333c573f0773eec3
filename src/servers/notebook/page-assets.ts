import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's script and styles, built by scripts/build.mjs from src/servers/notebook/page/. */
export interface PageAssets {
  script: string;
  styles: string;
}

// dist/notebook/ beside the bundle; from the sources (tests), the built one of this checkout.
function assetsFolder(): string {
  const beside = fileURLToPath(new URL('./notebook/', import.meta.url));
  if (existsSync(join(beside, 'notebook.js'))) return beside;
  for (let dir = dirname(beside); dirname(dir) !== dir; dir = dirname(dir)) {
    const built = join(dir, 'dist', 'notebook');
    if (existsSync(join(built, 'notebook.js'))) return built;
  }
  throw new Error(`runbook's notebook page (dist/notebook/notebook.js) is missing: run 'npm run build'.`);
}

export function loadPageAssets(): PageAssets {
  const folder = assetsFolder();
  return { script: readFileSync(join(folder, 'notebook.js'), 'utf8'), styles: readFileSync(join(folder, 'notebook.css'), 'utf8') };
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The page's HTML: an empty shell the script fills from the websocket. The token rides in a meta tag and the asset URLs. */
export function pageHtml(token: string, title: string): string {
  const query = `?token=${encodeURIComponent(token)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="runbook-token" content="${escapeAttribute(token)}">
<title>${escapeAttribute(title)} · runbook</title>
<link rel="stylesheet" href="/notebook.css${query}">
<script src="/notebook.js${query}" defer></script>
</head>
<body>
<header class="toolbar">
  <span class="title" data-title></span>
  <span class="busy" data-busy></span>
  <button data-action="run-all" title="Run every block in a fresh context, as runbook run does">Run all</button>
  <button data-action="restart" title="A fresh context: every name the doc declared is gone">Restart</button>
</header>
<div class="notice" data-notice hidden></div>
<main data-doc></main>
<section class="console" data-console>
  <div class="console-log" data-console-log></div>
  <input type="text" data-console-input placeholder="Evaluate in the doc's context (Enter)" autocomplete="off" spellcheck="false">
</section>
</body>
</html>
`;
}
