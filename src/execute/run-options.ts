/**
 * What a run was asked to do (from the CLI or an API caller). Immutable for the run.
 */
export interface RunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  /** Parallel hosts per task (ansible-playbook's --forks). */
  readonly forks: number;
  readonly verbose: number;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  /** -e values, highest precedence. */
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** --limit pattern, applied on top of each play's hosts. */
  readonly limit?: string;
  /** Persistent facts cache directory, when enabled. */
  readonly factsCacheDir?: string;
  readonly factsTtlSeconds?: number;
  /** Signal to stop starting new tasks (Ctrl-C). */
  readonly abort?: AbortSignal;
}
