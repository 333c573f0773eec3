/** Environment variable names whose values are treated as secrets. */
export const secretNamePattern = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

// Shapes of well-known credentials, scrubbed even when no variable names them.
const secretValuePatterns: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
];

// Object keys whose string values are credentials, e.g. { "api_key": "…" }.
const secretKeyPattern = /^(authorization|api[-_]?key|x-api-key|.*(token|secret|password|passwd)s?)$/i;

export const redacted = '[REDACTED]';

/** Values to mask: the API key and the values of secret-looking environment variables. */
export function secretValues(env: NodeJS.ProcessEnv = process.env, extra: (string | undefined)[] = []): string[] {
  const values = new Set<string>();
  for (const value of extra) if (value && value.length >= 4) values.add(value);
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && secretNamePattern.test(name)) values.add(value);
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** Masks known secret values and credential-shaped substrings in a string. */
export function scrubString(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(redacted);
  for (const pattern of secretValuePatterns) out = out.replace(pattern, redacted);
  return out;
}

/** A deep copy of `value` with every secret masked, in strings and under secret-named keys. */
export function scrubValue<T>(value: T, secrets: string[]): T {
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
