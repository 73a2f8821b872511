/**
 * One top-level `segtrial` command. Each file in cli/commands/ default-exports one of these;
 * cli/main.ts discovers them, so adding a command never edits a shared registry.
 */
export interface CliCommand {
  /** First word on the command line, e.g. `audit` for `segtrial audit verify`. */
  readonly name: string;
  /** One line for `segtrial --help`. */
  readonly summary: string;
  /**
   * What `segtrial <name> --help` prints, and what follows a usage error. Without it, the summary
   * (which starts with the command's syntax) is shown.
   */
  readonly usage?: string;
  /** Receives the arguments after the name; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

/** An error the CLI prints as one line (no stack) before exiting with `exitCode`. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}
