// Small pure helpers of the Email area: what a mail error code means in
// plain words, how a reminder schedule reads, and which mode a client's or
// invoice's own schedule is in.

import type { ScheduleScope, ScheduleView } from "../../lib/api";

/**
 * The message key (under `mail.step.`) that says in plain words which step
 * of talking to the mail server failed, or null for a code that is not
 * about the mail server.
 */
export function mailStep(code: string | null | undefined): string | null {
  switch (code) {
    case "mail_not_configured":
      return "not_configured";
    case "mail_no_password":
      return "no_password";
    case "keyring":
      return "keyring";
    case "mail_dns":
      return "dns";
    case "mail_connection_refused":
      return "refused";
    case "mail_network":
    case "smtp_unreachable":
      return "network";
    case "mail_timeout":
      return "timeout";
    case "mail_tls":
      return "tls";
    case "mail_authentication":
      return "authentication";
    case "mail_sender_refused":
      return "sender";
    case "mail_recipient_refused":
      return "recipient";
    case "mail_rejected":
      return "rejected";
    case "mail_build":
      return "build";
    default:
      return null;
  }
}

/** Steps whose own sentence says everything (the server's text adds nothing useful). */
export function stepIsComplete(step: string | null): boolean {
  return step === "not_configured" || step === "no_password";
}

/** [7, 3, 1] → "7, 3, 1". */
export function daysText(days: number[]): string {
  return days.join(", ");
}

/** The port typed: null when empty (the security's default), or "invalid". */
export function portValue(text: string): number | null | "invalid" {
  const s = text.trim();
  if (s === "") return null;
  if (!/^\d+$/.test(s)) return "invalid";
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : "invalid";
}

export type OverrideMode = "inherit" | "own" | "off";

/** Whether a client's or invoice's schedule is its own (on or off) or comes from above. */
export function overrideMode(view: ScheduleView, scope: ScheduleScope): OverrideMode {
  if (view.source !== scope.scope) return "inherit";
  return view.enabled ? "own" : "off";
}

/** Only waiting or failed emails can be retried or cancelled. */
export function actionable(state: string): boolean {
  return state === "queued" || state === "failed";
}
