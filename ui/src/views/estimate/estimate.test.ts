import { describe, expect, it } from "vitest";
import { actions, depositPart, draftDeposits, estimateHeader, isZero, literal, liveDeposits } from "./estimate";
import type { MadeInvoiceView } from "../../lib/api";

const made = (kind: string, status: MadeInvoiceView["status"]): MadeInvoiceView => ({
  number: `INV-${kind}`,
  kind,
  part: kind === "deposit" ? "30%" : "",
  status,
  issue_date: "2026-12-01",
  total: "357.00",
});

describe("estimate helpers", () => {
  it("sends only the changed header field", () => {
    const h = estimateHeader({ valid_until: "2026-12-31" });
    expect(Object.entries(h).filter(([, v]) => v !== null)).toEqual([["valid_until", "2026-12-31"]]);
  });

  it("reads zero amounts as the books write them", () => {
    for (const z of ["0", "0.00", "-0.00", " 0.0 "]) expect(isZero(z)).toBe(true);
    for (const n of ["0.01", "357.00", "-1", "10"]) expect(isZero(n)).toBe(false);
  });

  it("offers what the estimate's state allows", () => {
    const base = { converted: false, invoices: [] as MadeInvoiceView[] };
    expect(actions({ ...base, status: "draft", display_status: "draft" })).toEqual({
      edit: true,
      moveValidity: true,
      send: true,
      decide: false,
      remove: true,
      convert: false,
      email: true,
    });
    const sent = actions({ ...base, status: "sent", display_status: "expired" });
    expect([sent.edit, sent.send, sent.decide, sent.moveValidity]).toEqual([false, false, true, true]);
    const accepted = actions({ ...base, status: "accepted", display_status: "accepted" });
    expect([accepted.convert, accepted.remove, accepted.decide]).toEqual([true, false, false]);
    expect(actions({ ...base, status: "accepted", display_status: "accepted", converted: true }).convert).toBe(false);
    expect(actions({ ...base, status: "declined", display_status: "declined" }).remove).toBe(true);
  });

  it("offers email while the estimate is an open offer", () => {
    const base = { invoices: [] as MadeInvoiceView[] };
    const email = (status: string, display: string, converted = false) =>
      actions({ ...base, status: status as never, display_status: display as never, converted }).email;
    expect(email("draft", "draft")).toBe(true);
    expect(email("sent", "sent")).toBe(true);
    expect(email("sent", "expired")).toBe(false);
    expect(email("accepted", "accepted")).toBe(true);
    expect(email("accepted", "accepted", true)).toBe(false);
    expect(email("declined", "declined")).toBe(false);
  });

  it("sends the dialog's words as they read, braces and all", () => {
    expect(literal("Hello {client_name}, see {{x}} }")).toBe("Hello {{client_name}}, see {{{{x}}}} }}");
    expect(literal("No braces")).toBe("No braces");
  });

  it("deducts only deposits that are not cancelled", () => {
    const list = [made("deposit", "sent"), made("deposit", "cancelled"), made("final", "draft")];
    expect(liveDeposits(list).map((m) => m.status)).toEqual(["sent"]);
    expect(draftDeposits(list)).toEqual([]);
    expect(draftDeposits([...list, made("deposit", "draft")]).map((m) => m.status)).toEqual(["draft"]);
  });

  it("writes the deposit as the books read it", () => {
    expect(depositPart("whole", "percent", "30")).toBeNull();
    expect(depositPart("deposit", "percent", " 30 ")).toBe("30%");
    expect(depositPart("deposit", "percent", "30 %")).toBe("30%");
    expect(depositPart("deposit", "percent", "")).toBe("");
    expect(depositPart("deposit", "amount", " 500.00 ")).toBe("500.00");
  });
});
