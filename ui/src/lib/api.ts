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
  /** The sentence for people: "Line 2, rate: 'abc' is not a number". */
  message: string;
  /** The field the command named ("lines[2].rate"), for placing the message. */
  field: string | null;
  /** The message without the field's name, for showing right under that field. */
  detail: string;
}

/** "payment_terms_days" → "Payment terms days"; "lines[2].rate" → "Line 2, rate". */
export function fieldLabel(field: string): string {
  const words = (name: string) => name.replace(/_/g, " ");
  const text = field
    .split(".")
    .map((segment) => {
      const item = /^(\w+)\[(\d+)\]$/.exec(segment);
      if (!item) return words(segment);
      const [, list = "", n = ""] = item;
      return `${words(list.endsWith("s") ? list.slice(0, -1) : list)} ${n}`;
    })
    .join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Advice meant for the command line ("(see `billable tax list`)") has no place in the window. */
function withoutCliAdvice(message: string): string {
  return message.replace(/\s*\((?:see|run|use) `billable [^`]*`\)/g, "").replace(/\s*[,;]?\s*(?:see|run|use) `billable [^`]*`/g, "");
}

export function problem(error: unknown): Problem {
  if (error instanceof Failure) {
    const message = withoutCliAdvice(error.message);
    const field = error.field;
    if (field && message.startsWith(`${field}: `)) {
      const detail = message.slice(field.length + 2);
      return { message: `${fieldLabel(field)}: ${detail}`, field, detail };
    }
    return { message, field, detail: message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message, field: null, detail: message };
}

/** The message for `field` (also for "lines[2].rate" under "lines"), if the problem is about it. */
export function fieldError(p: Problem | null, field: string): string | null {
  if (!p || !p.field) return null;
  return p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`) ? p.detail : null;
}
