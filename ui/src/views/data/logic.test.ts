import { describe, expect, it } from "vitest";
import { Failure } from "../../lib/api";
import { exportName, fileName, fileSize, rowProblemCount, rowProblems } from "./logic";

describe("import row problems", () => {
  it("reads one refused row from the field and message", () => {
    const e = new Failure({
      code: "invalid",
      field: "line 4, column date",
      message: "line 4, column date: '32/13/2026' is not a date; nothing was imported",
    });
    expect(rowProblems(e)).toEqual([{ line: 4, column: "date", message: "'32/13/2026' is not a date" }]);
    expect(rowProblemCount(e)).toBe(1);
  });

  it("reads the further rows the message lists", () => {
    const e = new Failure({
      code: "invalid",
      field: "line 2, column hours",
      message:
        "line 2, column hours: 'x' is not a duration (2 more: line 5, column client: is empty; line 9, column start: '25:00' is not a time); nothing was imported",
    });
    expect(rowProblems(e)).toEqual([
      { line: 2, column: "hours", message: "'x' is not a duration" },
      { line: 5, column: "client", message: "is empty" },
      { line: 9, column: "start", message: "'25:00' is not a time" },
    ]);
    expect(rowProblemCount(e)).toBe(3);
  });

  it("counts rows past the twenty the message names", () => {
    const e = new Failure({
      code: "invalid",
      field: "line 2, column hours",
      message: "line 2, column hours: bad (30 more: line 3, column hours: bad; …); nothing was imported",
    });
    expect(rowProblemCount(e)).toBe(31);
    expect(rowProblems(e)).toHaveLength(2);
  });

  it("is empty for errors that are not about rows", () => {
    expect(rowProblems(new Failure({ code: "invalid", field: "file", message: "file: could not read" }))).toEqual([]);
    expect(rowProblems(new Error("boom"))).toEqual([]);
  });
});

describe("files", () => {
  it("names the file of a path", () => {
    expect(fileName("/home/me/toggl.csv")).toBe("toggl.csv");
    expect(fileName("C:\\Users\\me\\harvest.csv")).toBe("harvest.csv");
  });

  it("tells sizes for people", () => {
    expect(fileSize(512, "en-US")).toBe("512 B");
    expect(fileSize(12_700, "en-US")).toBe("12 KB");
    expect(fileSize(4_718_592 / 1.5, "en-US")).toBe("3.0 MB");
    expect(fileSize(1536, "de-DE")).toBe("1,5 KB");
  });

  it("names exports by what and when", () => {
    expect(exportName("time", "2026-05-10", "csv")).toBe("billable-time-2026-05-10.csv");
  });
});
