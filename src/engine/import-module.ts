// runbook's code is loaded from a V8 code cache (see src/loader/load-bundle.ts),
// and on Node 20 a function restored from that cache cannot call import(): it
// throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. The loader therefore leaves an
// import() of its own, from a module loaded normally, under this symbol; every
// import of a module that is not ours (a package, a doc's imports, a config
// file) goes through it. Run unbundled (tests), the plain import() serves.
const hostImport = Symbol.for('runbook.import');

type Importer = (specifier: string) => Promise<unknown>;

/** import(), usable from code restored from the code cache. */
export function importModule<T = unknown>(specifier: string): Promise<T> {
  const host = (globalThis as Record<symbol, Importer | undefined>)[hostImport];
  return (host ? host(specifier) : import(specifier)) as Promise<T>;
}
