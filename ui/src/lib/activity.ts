// An invoice's activity entry as a sentence in the window's language, with
// amounts and dates in the display locale: "Payment of €1,000.00 received
// on Dec 2, 2026". Built from the entry's facts (data the books keep beside
// the English text); an entry written before facts were kept, or of a kind
// this build does not know, shows its stored text.

import type { Activity, ActivityFacts } from "./bindings";
import { date, money } from "./format";
import { t } from "./i18n.svelte";

type Vars = Record<string, string | number>;

function status(s: string | null | undefined): string {
  return s ? t(`status.${s}`) : "";
}

function period(f: ActivityFacts): string {
  if (f.date && f.until && f.date !== f.until) return t("activity.period", { from: date(f.date), to: date(f.until) });
  return f.date ? date(f.date) : "";
}

function vars(f: ActivityFacts): Vars {
  const v: Vars = {};
  if (f.amount != null && f.currency) v.amount = money(f.amount, f.currency);
  if (f.date) v.date = date(f.date);
  if (f.to) v.to = f.to;
  if (f.number) v.number = f.number;
  if (f.name) v.name = f.name;
  if (f.method) v.method = f.method;
  if (f.count != null) v.count = f.count;
  if (f.line != null) v.line = f.line;
  if (f.position != null) v.position = f.position;
  if (f.from) v.from = status(f.from);
  if (f.status) v.status = status(f.status);
  v.period = period(f);
  if (f.days != null) {
    v.when =
      f.days === 0
        ? t("activity.on_due")
        : f.days < 0
          ? t("activity.before_due", { count: -f.days })
          : t("activity.after_due", { count: f.days });
  }
  return v;
}

/** The message key for an entry, or null when only its text can say it. */
export function activityKey(a: Activity): string | null {
  const f = a.facts;
  if (!f) return null;
  switch (a.kind) {
    case "created":
      return `activity.created.${f.how ?? "by_hand"}`;
    case "sent":
      return `activity.sent.${f.how ?? "by_hand"}`;
    case "reminder_queued":
    case "reminder_sent":
      return `activity.${a.kind}.${f.how === "overdue" ? "overdue" : "reminder"}`;
    case "payment_recorded":
    case "refund_recorded":
      return `activity.${a.kind}${f.method ? "_method" : ""}`;
    case "status_changed":
      return `activity.status_changed${f.how === "by_hand" ? "_by_hand" : ""}`;
    case "cancelled":
    case "line_removed":
      return `activity.${a.kind}${f.count ? "_released" : ""}`;
    case "emailed":
    case "email_queued":
    case "email_cancelled":
    case "payment_deleted":
    case "early_discount_taken":
    case "credit_applied":
    case "credit_kept":
    case "credit_note_issued":
    case "late_fee_invoiced":
    case "recurring_created":
    case "line_added":
    case "line_changed":
    case "lines_reordered":
    case "header_changed":
    case "due_date_moved":
      return `activity.${a.kind}`;
    default:
      return null;
  }
}

/** The entry as a sentence. */
export function activitySentence(a: Activity): string {
  const key = activityKey(a);
  if (key && a.facts) {
    const text = t(key, vars(a.facts));
    if (text !== key) return text;
  }
  return a.detail || a.kind.replaceAll("_", " ");
}
