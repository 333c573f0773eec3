/** The name of the one hidden global the rewritten block code talks to (see hoist.ts). */
export const RUNTIME = '__runbook';
