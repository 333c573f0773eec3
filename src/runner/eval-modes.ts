// Plain lists, apart from run-options.ts: the executor plans blocks with them
// without building the options schema.
export const evalModes = ['all', 'optIn', 'none'] as const;
export type EvalMode = (typeof evalModes)[number];

export const llmModes = ['record', 'replay', 'live', 'auto'] as const;
