import { runbookError } from '../errors.js';

/**
 * The `process` a doc sees: the real one, except that it cannot end or move the
 * runner, and its `env` is the doc's own copy (changes stay inside the doc).
 */
export function createDocProcess(env: NodeJS.ProcessEnv, onFault: (error: Error) => void): NodeJS.Process {
  const refuse = (call: string, hint: string) => () => {
    const error = runbookError('RUNBOOK_DOC_FAULT', `The doc called ${call}: ${hint}`);
    onFault(error);
    throw error;
  };
  const overrides: Record<PropertyKey, unknown> = {
    env,
    exit: (code?: number) =>
      refuse(`process.exit(${code ?? ''})`, 'a doc cannot end the runner. Throw an error to fail the doc instead.')(),
    reallyExit: refuse('process.reallyExit()', 'a doc cannot end the runner.'),
    abort: refuse('process.abort()', 'a doc cannot end the runner.'),
    chdir: (dir: string) =>
      refuse(`process.chdir(${JSON.stringify(dir)})`, "docs share the runner's working directory; pass `cwd` options or use paths relative to $doc.dir instead.")(),
  };
  return new Proxy(process, {
    get(target, property) {
      if (property in overrides) return overrides[property];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(target, property, value) {
      if (property === 'exitCode') return true; // the runner owns the exit code
      return Reflect.set(target, property, value, target);
    },
  });
}
