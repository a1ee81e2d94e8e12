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
  { command: "billable --help", does: "every command, with a quick start" },
  { command: "billable timer start --project 1", does: "starts tracking time on a project" },
  {
    command: 'billable invoice from-time --client "Acme GmbH"',
    does: "turns the client's unbilled time into a draft invoice",
  },
  { command: "billable invoice list", does: "shows your invoices and what is still owed" },
];
