import { RUNTIME } from '../../engine/runtime-name.js';

const keywords = ['await', 'async', 'const', 'let', 'var', 'function', 'class', 'return', 'if', 'else', 'for', 'while', 'new', 'typeof', 'import', 'try', 'catch', 'throw'];

function namesOf(target: unknown): string[] {
  const names = new Set<string>();
  // Primitives complete like their wrappers ('abc'.to → toUpperCase).
  let current: unknown = target !== null && target !== undefined ? Object(target) : undefined;
  while (current && current !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(current)) if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    current = Object.getPrototypeOf(current);
  }
  return [...names];
}

/**
 * Tab completion for the console: names in the doc's global scope, or the
 * properties of `a.b.` chains. It reads properties but never calls anything
 * the user typed, so completing cannot run the doc's code by accident.
 */
export function completeInContext(line: string, globalObject: Record<string, unknown>): [string[], string] {
  const member = /((?:[A-Za-z_$][\w$]*\.)+)([A-Za-z_$][\w$]*)?$/.exec(line);
  if (member) {
    const path = member[1]!.slice(0, -1).split('.');
    const partial = member[2] ?? '';
    let target: unknown = globalObject;
    try {
      for (const key of path) target = target === null || target === undefined ? undefined : (target as Record<string, unknown>)[key];
    } catch {
      return [[], partial];
    }
    if (target === undefined || target === null) return [[], partial];
    return [namesOf(target).filter((name) => name.startsWith(partial)).sort(), partial];
  }
  const partial = /[A-Za-z_$][\w$]*$/.exec(line)?.[0] ?? '';
  const names = new Set([...namesOf(globalObject), ...keywords]);
  names.delete(RUNTIME);
  return [[...names].filter((name) => name.startsWith(partial)).sort(), partial];
}
