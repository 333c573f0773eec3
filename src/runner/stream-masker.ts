import { credentialTailStart, secretSpans } from '../features/llm/recordings/scrub.js';

/** Masks output that arrives in chunks, so that a secret split across two chunks is never shown. */
export interface StreamMasker {
  /** Takes the next chunk; returns the masked text that is safe to show now (possibly ''). */
  push(chunk: string): string;
  /** Returns the masked text still held back; call it when the stream ends. */
  flush(): string;
}

// Credential shapes (Bearer …, sk-…) have no fixed length: a tail longer than this is let through.
const shapeWindow = 512;

// The earliest position from which the end of `text` is a proper prefix of a secret.
function secretTailStart(text: string, secrets: readonly string[]): number {
  let start = text.length;
  for (const secret of secrets) {
    const first = secret.charCodeAt(0);
    for (let at = Math.max(0, text.length - secret.length + 1); at < start; at++) {
      if (text.charCodeAt(at) === first && secret.startsWith(text.slice(at))) {
        start = at;
        break;
      }
    }
  }
  return start;
}

// Moves a cut back to the start of any secret it would split, until none is split.
function safeCut(text: string, cut: number, secrets: readonly string[]): number {
  const spans = secretSpans(text, secrets);
  for (let moved = true; moved; ) {
    moved = false;
    for (const [start, end] of spans) {
      if (start < cut && cut < end) {
        cut = start;
        moved = true;
      }
    }
  }
  return cut;
}

/**
 * A masker for chunked output (a child's pipes, a doc's console). `mask`
 * masks a whole text; `secrets` are the literal values it masks. Each push
 * shows all it can and holds back only the shortest tail that could still
 * be the start of a secret (or of a credential shape such as `Bearer …`).
 */
export function createStreamMasker(mask: (text: string) => string, secrets: readonly string[]): StreamMasker {
  let held = '';
  return {
    push(chunk) {
      const text = held + chunk;
      const windowStart = Math.max(0, text.length - shapeWindow);
      const tail = Math.min(secretTailStart(text, secrets), windowStart + credentialTailStart(text.slice(windowStart)));
      const cut = safeCut(text, tail, secrets);
      held = text.slice(cut);
      return cut === 0 ? '' : mask(text.slice(0, cut));
    },
    flush() {
      const rest = held;
      held = '';
      return rest && mask(rest);
    },
  };
}
