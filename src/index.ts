// The public programmatic API. Everything else under src/ is internal.
export * from './public-api.js';
/** The whole of zod, as docs see it in `z`: for the optionsSchema of your own features. */
export { z } from 'zod';
