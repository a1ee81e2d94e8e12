import { describe, expect, it } from "vitest";
import { Failure, fieldError, fieldLabel, problem } from "./api";

describe("errors for people", () => {
  it("names fields in words", () => {
    expect(fieldLabel("lines[2].rate")).toBe("Line 2, rate");
    expect(fieldLabel("lines[1]")).toBe("Line 1");
    expect(fieldLabel("payment_terms_days")).toBe("Payment terms days");
    expect(fieldLabel("business.country")).toBe("Business, country");
  });

  it("turns a command's field path into a sentence and keeps the field for placing it", () => {
    const p = problem(new Failure({ code: "invalid", message: "lines[2].rate: 'abc' is not a number", field: "lines[2].rate" }));
    expect(p.message).toBe("Line 2, rate: 'abc' is not a number");
    expect(p.field).toBe("lines[2].rate");
    expect(fieldError(p, "lines")).toBe("'abc' is not a number");
    expect(fieldError(p, "notes")).toBeNull();
  });

  it("drops advice meant for the command line", () => {
    const p = problem(new Failure({ code: "invalid", message: "tax: 'x' is not a tax rate id (see `billable tax list`)", field: "tax" }));
    expect(p.message).toBe("Tax: 'x' is not a tax rate id");
    expect(p.message).not.toContain("billable");
  });
});
