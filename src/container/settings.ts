/** Where a container's features run: handed to every feature as `container.settings`. */
export interface ContainerSettings {
  /** Folder relative paths resolve against: the doc's folder when running a doc. */
  cwd: string;
  /** Absolute path of the doc being run, if any. */
  docPath?: string;
  /** LLM access mode chosen on the command line (see `--llm`). */
  llm?: 'record' | 'replay' | 'live' | 'auto';
  /** The doc's environment (its `process.env`): what child processes and clients should see. */
  env: NodeJS.ProcessEnv;
}
