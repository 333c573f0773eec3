import type { Colors } from './reporters/format.js';

const keywords = new Set(
  (
    'const let var function class return if else for while do of in new await async import export from default ' +
    'try catch finally throw switch case break continue typeof instanceof interface type extends implements ' +
    'enum as satisfies void delete yield static readonly public private protected declare'
  ).split(' '),
);
const literals = new Set(['true', 'false', 'null', 'undefined', 'this', 'super']);

// One alternative per token kind; anything else is copied as it is.
const jsToken = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|(`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)/gi;
const shellToken = /(#[^\n]*)|('[^'\n]*'|"(?:\\.|[^"\\\n])*")|(\$\{?[\w@*#?]+\}?)|(^\s*[\w./-]+|(?<=[|;&]\s*)[\w./-]+)/gm;

/**
 * Colours code for a terminal: keywords, strings, numbers, comments (and for
 * shell fences, commands and variables). A light touch, not a parser: a
 * misread token only gets the wrong colour. Text is unchanged when colours are off.
 */
export function highlight(code: string, lang: string, c: Colors): string {
  if (/^(sh|bash|shell|zsh)$/.test(lang)) {
    return code.replace(shellToken, (token, comment, string, variable, command) => {
      if (comment) return c.dim(token);
      if (string) return c.green(token);
      if (variable) return c.cyan(token);
      if (command) return c.bold(token);
      return token;
    });
  }
  if (!/^(ts|typescript|js|javascript|tsx|jsx|mts|mjs)$/.test(lang)) return code;
  return code.replace(jsToken, (token, comment, string, number, word) => {
    if (comment) return c.dim(token);
    if (string) return c.green(token);
    if (number) return c.yellow(token);
    if (word && keywords.has(word)) return c.magenta(token);
    if (word && literals.has(word)) return c.yellow(token);
    return token;
  });
}
