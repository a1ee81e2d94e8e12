import { describe, expect, it } from "vitest";
import { csvFileName, groupName, isPeriod, reportRequest, secondsOfHours } from "./report";

describe("report requests", () => {
  it("tags each report with a copy of the input it is shown with", () => {
    const input = { group: "client" as const, from: "2026-05-01", to: "2026-05-31" };
    const request = reportRequest("time", input);
    expect(request).toEqual({ report: "time", input: { group: "client", from: "2026-05-01", to: "2026-05-31" } });
    expect(request.input).not.toBe(input);
    expect(reportRequest("aging", { as_of: null })).toEqual({ report: "aging", input: { as_of: null } });
    expect(reportRequest("unbilled", { to: "2026-05-10" })).toEqual({ report: "unbilled", input: { to: "2026-05-10" } });
    expect(reportRequest("expenses", { from: "2026-01-01", to: "2026-01-31" })).toEqual({
      report: "expenses",
      input: { from: "2026-01-01", to: "2026-01-31" },
    });
    expect(reportRequest("revenue", { from: "2026-01-01", to: "2026-12-31" })).toEqual({
      report: "revenue",
      input: { from: "2026-01-01", to: "2026-12-31" },
    });
  });

  it("suggests a file name from the report and its input", () => {
    expect(csvFileName({ report: "aging", input: { as_of: null } })).toBe("aging.csv");
    expect(csvFileName({ report: "aging", input: { as_of: "2026-05-10" } })).toBe("aging-2026-05-10.csv");
    expect(csvFileName({ report: "unbilled", input: { to: null } })).toBe("unbilled.csv");
    expect(csvFileName({ report: "expenses", input: { from: "2026-01-01", to: "2026-12-31" } })).toBe("expenses-2026-01-01-2026-12-31.csv");
    expect(csvFileName({ report: "revenue", input: { from: "2026-01-01", to: "2026-12-31" } })).toBe("revenue-2026-01-01-2026-12-31.csv");
    expect(csvFileName({ report: "time", input: { group: "week", from: "2026-05-01", to: "2026-05-31" } })).toBe(
      "time-week-2026-05-01-2026-05-31.csv",
    );
  });
});

describe("time groups", () => {
  it("knows the period groups and labels their rows", () => {
    expect(isPeriod("week")).toBe(true);
    expect(isPeriod("client")).toBe(false);
    expect(groupName("week", "2026-W07")).toBe("Week 7, 2026");
    expect(groupName("month", "2026-05")).toBe("May 2026");
    expect(groupName("day", "2026-05-10")).toBe("May 10, 2026");
    expect(groupName("client", "Acme GmbH")).toBe("Acme GmbH");
  });

  it("turns decimal hours from the books into seconds exactly", () => {
    expect(secondsOfHours("2.50")).toBe(9000);
    expect(secondsOfHours("0.25")).toBe(900);
    expect(secondsOfHours("12")).toBe(43200);
    expect(secondsOfHours("nonsense")).toBe(0);
  });
});
