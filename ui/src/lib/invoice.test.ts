import { describe, expect, it, vi } from "vitest";
import { columnChars, debounce, discountText, earlyDiscountText, header, inputWidth, line, moved } from "./invoice";

describe("invoice editor helpers", () => {
  it("shows discounts as they are typed", () => {
    expect(discountText({ kind: "none" })).toBe("");
    expect(discountText({ kind: "percent", value: "10" })).toBe("10%");
    expect(discountText({ kind: "fixed", value: "25.00" })).toBe("25.00");
  });

  it("sends only the changed field, leaving the others as they are", () => {
    const h = header({ notes: "Thanks" });
    expect(h.notes).toBe("Thanks");
    expect(Object.entries(h).filter(([, v]) => v !== null)).toEqual([["notes", "Thanks"]]);
    expect(line({ rate: "120" })).toEqual({ item: null, description: null, long_description: null, quantity: null, unit: null, rate: "120", discount: null, tax_rate_id: null });
  });

  it("moves a line as drag and drop does", () => {
    expect(moved(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moved(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b", "c"], 1, 1)).toEqual(["a", "b", "c"]);
  });

  it("sends the last change once typing pauses, or at once on flush", () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const typing = debounce(500);
    typing.run(() => sent.push("1"));
    typing.run(() => sent.push("12"));
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(["12"]);
    typing.run(() => sent.push("123"));
    typing.flush();
    expect(sent).toEqual(["12", "123"]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(["12", "123"]);
    vi.useRealTimers();
  });
});

describe("input column widths", () => {
  it("fits the longest value or the placeholder, within bounds", () => {
    expect(columnChars(["2", "10.5"])).toBe(5);
    expect(columnChars(["", null, undefined])).toBe(4);
    expect(columnChars(["", "10% oder 5.00"])).toBe(14);
    expect(columnChars(["1234567890123456789012345"])).toBe(18);
    expect(columnChars(["2"], 6)).toBe(6);
    expect(inputWidth(7)).toBe("calc(7ch + 1.25rem)");
  });
});

describe("earlyDiscountText", () => {
  it("joins the editor's two fields as the books read them", () => {
    expect(earlyDiscountText("2", "10")).toBe("2%/10");
    expect(earlyDiscountText(" 1.5 % ", " 14 ")).toBe("1.5%/14");
    expect(earlyDiscountText("", "")).toBe("");
  });
});
