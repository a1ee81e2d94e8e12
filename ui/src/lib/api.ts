// Calls into the Rust commands through the generated bindings, turning their
// `{status: "error", error: {code, message, field}}` results into a thrown
// `Failure` that views catch and show (on the field it names, if any).

import type { ErrorBody, Result } from "./bindings";

export { commands } from "./bindings";
export type * from "./bindings";

export class Failure extends Error {
  readonly code: string;
  readonly field: string | null;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = "Failure";
    this.code = body.code;
    this.field = body.field ?? null;
  }
}

/** The command's data, or a thrown `Failure`. */
export async function ok<T>(call: Promise<Result<T, ErrorBody>>): Promise<T> {
  const result = await call;
  if (result.status === "ok") return result.data;
  throw new Failure(result.error);
}

/** What a view shows for a failed call: a message, and the field it is about. */
export interface Problem {
  message: string;
  field: string | null;
}

export function problem(error: unknown): Problem {
  if (error instanceof Failure) return { message: error.message, field: error.field };
  if (error instanceof Error) return { message: error.message, field: null };
  return { message: String(error), field: null };
}

/** The message for `field` (also for "lines[2].rate" under "lines"), if the problem is about it. */
export function fieldError(p: Problem | null, field: string): string | null {
  if (!p || !p.field) return null;
  return p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`)
    ? p.message.replace(/^[\w.[\]]+: /, "")
    : null;
}
