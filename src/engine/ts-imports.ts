import { register } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { decodeMappings, findOriginal, type Mappings } from './source-mappings.js';

// The main thread's side of the TypeScript module hooks (src/loader/ts-hooks.ts):
// registers them on a doc's first local import, and keeps the source maps they
// post so that error reports can map stack frames into the .ts files.

/** What the hooks post for each file they transpile. */
export interface TranspiledMessage {
  url: string;
  map: string;
}

let port: MessagePort | undefined;
const maps = new Map<string, string | Mappings>();

/** Registers the hooks, once per process: later `import()`s of local `.ts` files work. */
export function useTypeScriptImports(): void {
  if (port) return;
  const channel = new MessageChannel();
  register(new URL('./ts-hooks.js', import.meta.url).href, { data: { port: channel.port2 }, transferList: [channel.port2] });
  port = channel.port1;
  port.unref();
}

// Read synchronously when a report needs them: a map is posted before its module runs, so it is there.
function drain(from: MessagePort): void {
  for (let received = receiveMessageOnPort(from); received; received = receiveMessageOnPort(from)) {
    const { url, map } = received.message as TranspiledMessage;
    maps.set(url, map);
  }
}

/**
 * Maps a stack frame's position (1-based) in a transpiled TypeScript file,
 * named by URL or path, to the position in the `.ts` source; undefined when
 * the hooks did not load that file, or when Node maps frames itself
 * (--enable-source-maps).
 */
export function typeScriptPosition(file: string, line: number, column: number): { line: number; column: number } | undefined {
  if (!port || process.sourceMapsEnabled) return undefined;
  drain(port);
  const url = isAbsolute(file) ? pathToFileURL(file).href : file;
  let mappings = maps.get(url);
  if (mappings === undefined) return undefined;
  if (typeof mappings === 'string') {
    mappings = decodeMappings((JSON.parse(mappings) as { mappings: string }).mappings);
    maps.set(url, mappings);
  }
  const found = findOriginal(mappings, line - 1, column - 1);
  return found && { line: found.line + 1, column: found.column + 1 };
}
