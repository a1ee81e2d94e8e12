// Small pure helpers of the Email area: what a mail error code means in
// plain words, how a reminder schedule reads, and which mode a client's or
// invoice's own schedule is in.

import type { LateFee, ScheduleScope, ScheduleView, StepFeeInput } from "../../lib/api";

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

/**
 * The steps after the due date in a typed list ("1, 7, 14" → [1, 7, 14]),
 * ascending, each once; 0 and what is not a number are left out (the
 * schedule itself is checked when it is saved).
 */
export function afterSteps(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/[\s,]+/)) {
    if (!/^\d+$/.test(part)) continue;
    const n = Number(part);
    if (n > 0 && n <= 365 && !out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** A late fee as it is typed: "5.00" (fixed) or "1.5%" (of the open balance). */
export function feeText(fee: LateFee): string {
  return fee.kind === "percent" ? `${fee.value}%` : fee.value;
}

/** What the schedule editor sends: each step with its fee as typed (empty: none). */
export function feeInputs(steps: number[], typed: Record<number, string>): StepFeeInput[] {
  return steps.map((days_after) => ({ days_after, fee: (typed[days_after] ?? "").trim() }));
}
