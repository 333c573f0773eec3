import type { KeyedRequest } from './key.js';

// Pretty JSON with sorted keys: one fact per line, so a line diff reads well.
function pretty(request: KeyedRequest): string {
  const sortKeys = (_key: string, value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  return `${JSON.stringify(request, sortKeys, 2)}\n`;
}

export interface NearestDiff {
  /** Index of the nearest recorded request. */
  index: number;
  /** Unified-style lines: "- recorded", "+ this request", two lines of context; at most `maxLines`. */
  text: string;
}

/**
 * Finds the recorded request that differs from `request` in the fewest lines
 * and shows how. Loads `diff` lazily: only a replay miss needs it.
 */
export async function nearestDiff(request: KeyedRequest, recorded: KeyedRequest[], maxLines = 40): Promise<NearestDiff | null> {
  if (recorded.length === 0) return null;
  const { diffLines } = await import('diff');
  const wanted = pretty(request);
  let best: { index: number; changed: number; parts: ReturnType<typeof diffLines> } | null = null;
  recorded.forEach((candidate, index) => {
    const parts = diffLines(pretty(candidate), wanted);
    const changed = parts.filter((part) => part.added || part.removed).reduce((sum, part) => sum + (part.count ?? 1), 0);
    if (!best || changed < best.changed) best = { index, changed, parts };
  });
  const found = best as unknown as { index: number; parts: ReturnType<typeof diffLines> };
  const lines: string[] = [];
  found.parts.forEach((part, partIndex) => {
    const partLines = part.value.replace(/\n$/, '').split('\n');
    if (part.added || part.removed) {
      for (const line of partLines) lines.push(`${part.added ? '+' : '-'} ${line}`);
      return;
    }
    // Context: the last two lines before a change and the first two after one.
    const before = partIndex > 0 ? partLines.slice(0, 2) : [];
    const after = partIndex < found.parts.length - 1 ? partLines.slice(-2) : [];
    if (before.length + after.length + 1 >= partLines.length) {
      for (const line of partLines) lines.push(`  ${line}`);
    } else {
      for (const line of before) lines.push(`  ${line}`);
      lines.push('  …');
      for (const line of after) lines.push(`  ${line}`);
    }
  });
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), `  … (${lines.length - maxLines} more lines)`] : lines;
  return { index: found.index, text: shown.join('\n') };
}
