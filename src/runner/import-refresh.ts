import { createRequire, register } from 'node:module';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

// Module hooks (run on Node's loader thread): the files being watched resolve to
// a URL with a generation in its query, so an edited file is loaded afresh
// instead of coming from the ESM cache. Every other module keeps its one instance.
const hooksSource = `
import { fileURLToPath } from 'node:url';
let generation = 0;
let files = new Set();
export async function initialize({ port }) {
  port.on('message', (message) => {
    generation = message.generation;
    files = new Set(message.files);
    port.postMessage(generation);
  });
  port.unref();
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!generation || !result.url.startsWith('file:')) return result;
  const bare = result.url.split(/[?#]/)[0];
  if (!files.has(fileURLToPath(bare))) return result;
  return { ...result, url: bare + '?runbook-watch=' + generation };
}
`;

let port: MessagePort | undefined;
let generation = 0;

/**
 * Makes the next imports of `files` (absolute paths) load their current
 * contents, for both `import` and `require`. Used by --watch between runs.
 */
export async function refreshImports(files: string[]): Promise<void> {
  if (!port) {
    const channel = new MessageChannel();
    register(`data:text/javascript,${encodeURIComponent(hooksSource)}`, { data: { port: channel.port2 }, transferList: [channel.port2] });
    port = channel.port1;
    port.unref();
  }
  generation += 1;
  const cache = createRequire(import.meta.url).cache;
  for (const file of files) delete cache[file];
  const current = port;
  // Wait until the loader thread has the new list: the doc's imports come right after.
  await new Promise<void>((acknowledged) => {
    const onMessage = (value: number) => {
      if (value !== generation) return;
      current.off('message', onMessage);
      acknowledged();
    };
    current.on('message', onMessage);
    current.postMessage({ generation, files });
  });
}
