import { afterEach, describe, expect, it } from "vitest";
import { activityKey, activitySentence } from "./activity";
import type { Activity, ActivityFacts } from "./bindings";
import { setDisplayLocale } from "./i18n.svelte";

function entry(kind: string, facts: ActivityFacts | null, detail = "english text"): Activity {
  return { id: 1, invoice_id: 1, at: "2026-12-02T10:00:00Z", kind, detail, facts };
}

afterEach(() => setDisplayLocale(null));

describe("activity sentences", () => {
  it("say a payment with its amount and date in the display locale", () => {
    setDisplayLocale("en-US");
    const paid = entry("payment_recorded", { amount: "1000.00", currency: "EUR", date: "2026-12-02" });
    expect(activitySentence(paid)).toBe("Payment of €1,000.00 received on Dec 2, 2026");
    setDisplayLocale("de-DE");
    expect(activitySentence(paid)).toBe("Zahlung über 1.000,00\u00a0€ am 02.12.2026 erhalten");
    const byBank = entry("payment_recorded", { amount: "5", currency: "EUR", date: "2026-12-02", method: "Überweisung" });
    expect(activitySentence(byBank)).toBe("Zahlung über 5,00\u00a0€ am 02.12.2026 per Überweisung erhalten");
  });

  it("name statuses in words, never snake_case", () => {
    setDisplayLocale("en-US");
    const s = entry("status_changed", { from: "sent", status: "partially_paid" });
    expect(activitySentence(s)).toBe("Status changed from Sent to Partially paid");
    setDisplayLocale("de-DE");
    expect(activitySentence(entry("status_changed", { from: "sent", status: "paid", how: "by_hand" }))).toBe(
      "Status von Hand von Gesendet auf Bezahlt gesetzt",
    );
  });

  it("count with plurals and say reminders and emails", () => {
    setDisplayLocale("en-US");
    expect(activitySentence(entry("created", { how: "from_time", count: 1 }))).toBe("Draft created from 1 time entry");
    expect(activitySentence(entry("created", { how: "from_time", count: 6 }))).toBe("Draft created from 6 time entries");
    expect(activitySentence(entry("reminder_sent", { how: "overdue", to: "ap@globex.example" }))).toBe(
      "Overdue notice emailed to ap@globex.example",
    );
    expect(activitySentence(entry("reminder_queued", { how: "reminder", to: "a@b.example", days: -3 }))).toBe(
      "Payment reminder to a@b.example queued (3 days before the due date)",
    );
    expect(activitySentence(entry("cancelled", { from: "sent", count: 0 }))).toBe("Cancelled");
  });

  it("show the stored text for entries without facts and kinds it does not know", () => {
    expect(activityKey(entry("payment_recorded", null))).toBeNull();
    expect(activitySentence(entry("payment_recorded", null, "1000.00 EUR on 2026-12-02"))).toBe("1000.00 EUR on 2026-12-02");
    expect(activitySentence(entry("something_new", { amount: "1", currency: "EUR" }, "as stored"))).toBe("as stored");
    expect(activitySentence(entry("something_new", null, ""))).toBe("something new");
  });
});
