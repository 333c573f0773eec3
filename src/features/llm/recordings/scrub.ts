/** Environment variable names whose values are treated as secrets. */
export const secretNamePattern = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|(?:^|_)PASS(?:_|$)/i;

/** Values shorter than this are too common to mask: every "ab" in the output would go. */
export const minSecretLength = 4;

// Settings that happen to sit in a secret-named variable (AUTH_DISABLED=true); masking them would garble output.
const notSecret = /^(true|false|null|none|undefined|enabled|disabled)$/i;

const tokenChars = 'A-Za-z0-9._~+/=-';

/** Every proper prefix of each word, as a regex alternation: what a chunk may end with before the word is complete. */
function startsOf(...words: string[]): string {
  const prefixes = new Set<string>();
  for (const word of words) for (let length = 1; length < word.length; length++) prefixes.add(word.slice(0, length));
  return [...prefixes].map((prefix) => prefix.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|');
}

/**
 * A well-known credential shape, masked even when no variable names it.
 * `partial` finds, at the end of a text, a tail that could still become (or
 * extend) a match once more text arrives: a stream holds such a tail back.
 */
interface CredentialShape {
  match: RegExp;
  partial: RegExp;
}

const headerNames = '(?:proxy-)?authorization|x-api-key|api-key';
const schemes = 'basic|bearer|token|digest|negotiate';

const credentialShapes: CredentialShape[] = [
  {
    // An auth header's value, with its scheme; the header's name stays readable.
    match: new RegExp(`(?<keep>\\b(?:${headerNames})["']?\\s*[:=]\\s*["']?)(?:(?:${schemes})\\s+[${tokenChars}]{4,}|[${tokenChars}]{8,})`, 'gi'),
    partial: new RegExp(`\\b(?:${startsOf('proxy-authorization', 'authorization', 'x-api-key', 'api-key')}|(?:${headerNames})["']?\\s*(?:[:=]\\s*["']?(?:(?:${schemes})\\s+)?[${tokenChars}]*)?)$`, 'i'),
  },
  { match: /\bsk-[A-Za-z0-9_-]{12,}/g, partial: /\b(?:sk?|sk-[A-Za-z0-9_-]*)$/ },
  {
    match: new RegExp(`\\bBearer\\s+[${tokenChars}]{8,}`, 'gi'),
    partial: new RegExp(`\\b(?:${startsOf('bearer')}|bearer(?:\\s+[${tokenChars}]*)?)$`, 'i'),
  },
  { match: /\bgh[pousr]_[A-Za-z0-9]{20,}/g, partial: /\b(?:gh?|gh[pousr](?:_[A-Za-z0-9]*)?)$/ },
  { match: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g, partial: /\b(?:xo?x?|xox[abpr](?:-[A-Za-z0-9-]*)?)$/ },
];

// Object keys whose string values are credentials, e.g. { "api_key": "…" }.
const secretKeyPattern = /^(authorization|api[-_]?key|x-api-key|.*(token|secret|password|passwd)s?)$/i;

export const redacted = '[REDACTED]';

/** Values to mask: the API key and the values (4+ characters) of secret-looking environment variables. */
export function secretValues(env: NodeJS.ProcessEnv = process.env, extra: (string | undefined)[] = []): string[] {
  const values = new Set<string>();
  const worthMasking = (value: string | undefined): value is string => value !== undefined && value.length >= minSecretLength && !notSecret.test(value);
  for (const value of extra) if (worthMasking(value)) values.add(value);
  for (const [name, value] of Object.entries(env)) {
    if (worthMasking(value) && secretNamePattern.test(name)) values.add(value);
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** Masks known secret values and credential-shaped substrings in a string. */
export function scrubString(text: string, secrets: readonly string[]): string {
  if (text === '') return text; // most blocks print nothing
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(redacted);
  for (const { match } of credentialShapes) {
    // A shape with a `keep` group (a header's name) keeps that part readable.
    out = out.replace(match, (...args: unknown[]) => {
      const groups = args.at(-1);
      return `${typeof groups === 'object' && groups && 'keep' in groups ? String(groups.keep) : ''}${redacted}`;
    });
  }
  return out;
}

/** Where each secret occurrence and credential-shaped match lies in `text`, as [start, end) pairs. */
export function secretSpans(text: string, secrets: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
  }
  for (const { match } of credentialShapes) for (const found of text.matchAll(match)) spans.push([found.index, found.index + found[0].length]);
  return spans;
}

/** The start of the tail of `text` that could be the beginning of a credential shape, or text.length. */
export function credentialTailStart(text: string): number {
  let start = text.length;
  for (const { partial } of credentialShapes) {
    const found = partial.exec(text);
    if (found && found.index < start) start = found.index;
  }
  return start;
}

/** A deep copy of `value` with every secret masked, in strings and under secret-named keys. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  const walk = (item: unknown, key?: string): unknown => {
    if (typeof item === 'string') return key && secretKeyPattern.test(key) && item ? redacted : scrubString(item, secrets);
    if (Array.isArray(item)) return item.map((element) => walk(element));
    if (item && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([name, element]) => [name, walk(element, name)]));
    }
    return item;
  };
  return walk(value) as T;
}
