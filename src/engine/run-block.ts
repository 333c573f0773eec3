/**
 * Runs a compiled block (see hoist.ts) in this realm's global scope and returns the
 * script's result. Indirect eval rather than a vm.Script: functions a block declares
 * become global bindings that stay configurable (a script's never are, so an
 * executor could not remove them after the doc). `filename` names the code in stack
 * traces. `evaluate` is a realm's own indirect eval (tests use a vm context's).
 */
export function runBlockCode(code: string, filename: string, evaluate: (code: string) => unknown = globalEval): unknown {
  return evaluate(`${code}\n//# sourceURL=${filename}`);
}

function globalEval(code: string): unknown {
  const indirect = eval;
  return indirect(code);
}
