import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Supports = (name: string) => boolean;
let supports: Supports | undefined;

// Asked of the copy of cli-highlight that marked-terminal itself loads, so the
// answer is about the highlighter that will colour the code.
function loadSupports(): Supports {
  try {
    const fromMarkedTerminal = createRequire(require.resolve('marked-terminal'));
    return (fromMarkedTerminal('cli-highlight') as { supportsLanguage: Supports }).supportsLanguage;
  } catch {
    return () => false;
  }
}

/**
 * The language to highlight a Markdown fence's code as. marked hands over the
 * fence's whole info string (`text output`, `json title=x`), and highlight.js,
 * given a name it does not know, prints "Could not find the language …" on
 * stderr before it gives up: so the info string's first word when the
 * highlighter knows it, else `plaintext`, which it always does.
 */
export function fenceLanguage(info: string | undefined): string {
  const first = info?.trim().split(/\s+/, 1)[0] ?? '';
  if (!first) return 'plaintext';
  supports ??= loadSupports();
  return supports(first) ? first : 'plaintext';
}
