import type { Pattern } from 'acorn';
import type { Edit } from './edits.js';

/** Names bound by a declaration pattern: `{ a, b: [c, ...d] = x }` binds a, c, d. */
export function boundNames(pattern: Pattern, names: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundNames(property.type === 'RestElement' ? property.argument : property.value, names);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) boundNames(element, names);
      break;
    case 'RestElement':
      boundNames(pattern.argument, names);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, names);
      break;
    default:
      break;
  }
  return names;
}

/**
 * Turns a declaration pattern into an assignment pattern whose every bound name is a
 * property of `target`: `{ a, b: [c] = x }` → `{ a: T.a, b: [T.c] = x }`. Defaults and
 * computed keys stay where they are, so positions inside them map back unchanged.
 */
export function retargetPattern(pattern: Pattern, target: string, edits: Edit[]): void {
  switch (pattern.type) {
    case 'Identifier':
      edits.push({ start: pattern.start, end: pattern.start, text: `${target}.` });
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        if (property.type === 'RestElement') {
          retargetPattern(property.argument, target, edits);
        } else if (property.shorthand) {
          // `{ a }` and `{ a = 1 }` name the key and the binding with one identifier.
          const name = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
          if (name.type === 'Identifier') edits.push({ start: name.start, end: name.start, text: `${name.name}: ${target}.` });
        } else {
          retargetPattern(property.value, target, edits);
        }
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) retargetPattern(element, target, edits);
      break;
    case 'RestElement':
      retargetPattern(pattern.argument, target, edits);
      break;
    case 'AssignmentPattern':
      retargetPattern(pattern.left, target, edits);
      break;
    default:
      break;
  }
}
