import { describe, expect, it } from "vitest";
import { blankRecurring, cyclesLeft, recurringInput } from "./input";

describe("recurring profile input", () => {
  it("builds the command's input from the form", () => {
    const f = blankRecurring("INV-2026-0001", "2026-05-01");
    expect(recurringInput(f)).toEqual({
      input: {
        invoice: "INV-2026-0001",
        name: null,
        frequency: "monthly",
        interval: 1,
        start_date: "2026-05-01",
        end_date: null,
        max_cycles: null,
        send_mode: "draft",
      },
    });
  });

  it("sends the ends the user filled in", () => {
    const f = blankRecurring("7", "2026-05-01");
    f.cycles = "6";
    f.mode = "send";
    f.interval = "2";
    const c = recurringInput(f);
    expect("input" in c && c.input).toMatchObject({ max_cycles: 6, end_date: null, interval: 2, send_mode: "send" });
    f.end = "2026-12-31";
    f.cycles = " ";
    const d = recurringInput(f);
    expect("input" in d && d.input).toMatchObject({ max_cycles: null, end_date: "2026-12-31" });
  });

  it("names the field that is not a whole number", () => {
    const f = blankRecurring("7", "");
    f.interval = "1.5";
    expect(recurringInput(f)).toEqual({ field: "interval" });
    f.interval = "";
    f.cycles = "0";
    expect(recurringInput(f)).toEqual({ field: "max_cycles" });
    f.cycles = "two";
    expect(recurringInput(f)).toEqual({ field: "max_cycles" });
  });

  it("counts the cycles left", () => {
    expect(cyclesLeft(null, 3)).toBeNull();
    expect(cyclesLeft(5, 3)).toBe(2);
    expect(cyclesLeft(2, 3)).toBe(0);
  });
});
