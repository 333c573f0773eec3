import { createRequire } from 'node:module';
import picocolors from 'picocolors';
import type { Marked } from 'marked';
import * as z from 'zod';
import { Feature, type FeatureHost } from '../container/feature.js';
import { lazy } from '../container/lazy.js';
import { fenceLanguage } from './fence-language.js';

export type Colors = ReturnType<typeof picocolors.createColors>;

const optionsSchema = lazy(() =>
  z
    .object({
      /** Force colours on or off; default: decided from NO_COLOR, FORCE_COLOR and whether stdout is a TTY. */
      colors: z.boolean().optional(),
    })
    .strict()
);

export type UiOptions = z.infer<ReturnType<typeof optionsSchema>>;

/**
 * Whether to colour output. FORCE_COLOR wins (except FORCE_COLOR=0), then
 * NO_COLOR (https://no-color.org: any non-empty value), then a TTY that is not "dumb".
 */
export function shouldUseColor(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

const require = createRequire(import.meta.url);

/** Terminal output helpers: `ui.colors.*` and `ui.markdown(text)`. */
export class Ui extends Feature<UiOptions> {
  static override readonly featureName = 'ui';
  static override readonly kind = 'feature';
  static override readonly description = 'Terminal output: colors (honouring NO_COLOR / FORCE_COLOR) and Markdown rendering.';
  static override get optionsSchema() {
    return optionsSchema();
  }

  /** picocolors functions (`ui.colors.green('ok')`); they return text unchanged when colours are off. */
  readonly colors: Colors;
  readonly colorsEnabled: boolean;
  #marked: Marked | undefined;

  constructor(container: FeatureHost, options: UiOptions, name: string) {
    super(container, options, name);
    this.colorsEnabled = this.options.colors ?? shouldUseColor();
    this.colors = picocolors.createColors(this.colorsEnabled);
  }

  /** Renders Markdown for a terminal (headings, emphasis, lists, code, tables) and returns the text. */
  markdown(text: string): string {
    if (typeof text !== 'string') {
      throw new TypeError(`ui.markdown() needs a string of Markdown, got ${text === null ? 'null' : typeof text}.`);
    }
    return (this.#renderer().parse(text, { async: false }) as string).replace(/\n+$/, '\n');
  }

  // marked + marked-terminal cost tens of milliseconds to load: only on first use, synchronously.
  #renderer(): Marked {
    if (this.#marked) return this.#marked;
    const { Marked } = require('marked') as typeof import('marked');
    const { markedTerminal } = require('marked-terminal') as { markedTerminal: (options?: object, highlight?: object) => object };
    const c = this.colors;
    // Our own colour functions, so NO_COLOR and FORCE_COLOR apply here too.
    const styles = {
      heading: (s: string) => c.bold(c.green(s)),
      firstHeading: (s: string) => c.bold(c.magenta(s)),
      strong: c.bold,
      em: c.italic,
      codespan: c.yellow,
      code: c.yellow,
      del: c.dim,
      link: c.blue,
      href: (s: string) => c.underline(c.blue(s)),
      blockquote: (s: string) => c.dim(c.italic(s)),
      hr: c.dim,
      html: c.dim,
    };
    const colorsEnabled = this.colorsEnabled;
    this.#marked = new Marked().use(markedTerminal(styles, { ignoreIllegals: true }) as Parameters<Marked['use']>[0]).use({
      // A fence is highlighted by its language alone (never warning about an info string it cannot read), and not at all without colours.
      walkTokens(token) {
        if (token.type === 'code') token.lang = colorsEnabled ? fenceLanguage(token.lang) : 'plaintext';
      },
      renderer: {
        // marked-terminal prints list items' inline Markdown raw with marked ≥ 13
        // (mikaelbr/marked-terminal#304): render a text token's inline children ourselves.
        text(token) {
          return typeof token === 'object' && 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
      },
    });
    return this.#marked;
  }
}
