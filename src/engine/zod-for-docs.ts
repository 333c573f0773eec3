import { createRequire } from 'node:module';
import type { Zod } from '../container/feature.js';

// Our own option schemas use a few zod builders, which is all the bundler keeps
// of zod in the code every run loads. The `z` docs and config files see is the
// whole library, about four times that: built into dist/zod.cjs and required
// the first time something reads it, so a doc that never uses `z` never pays.

const require = createRequire(import.meta.url);
let loaded: Zod | undefined;

/** The whole of zod, loaded on first use. */
export function zodForDocs(): Zod {
  if (!loaded) {
    try {
      loaded = (require('./zod.cjs') as { z: Zod }).z;
    } catch (error) {
      // Running from src/ (tests): there is no build beside us, so the package itself.
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      loaded = require('zod') as Zod;
    }
  }
  return loaded;
}
