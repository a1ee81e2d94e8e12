/** A command line shown on the welcome page, with what it does. */
export interface ExampleCommand {
  readonly command: string;
  readonly does: string;
}

/**
 * Examples of the `billable` command line, shown until the desktop views
 * exist. Keep them in step with the CLI (crates/cli).
 */
export const exampleCommands: readonly ExampleCommand[] = [
  { command: "billable --help", does: "lists every command and its options" },
  { command: "billable timer start", does: "starts tracking time" },
  { command: "billable invoice list", does: "shows your invoices and what is still owed" },
];
