import { afterEach, describe, expect, it } from "vitest";
import { autogrow, fitHeight } from "./autogrow";

describe("a textarea that grows with its text", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  /** A textarea whose scrollHeight is what its text would need: 20px a line. */
  function area(text: string): HTMLTextAreaElement {
    const el = document.createElement("textarea");
    el.style.borderTop = "1px solid black";
    el.style.borderBottom = "1px solid black";
    el.value = text;
    Object.defineProperty(el, "scrollHeight", { get: () => 20 * Math.max(1, el.value.split("\n").length) + 12 });
    document.body.append(el);
    return el;
  }

  it("is one row tall when short, plus its border", () => {
    const el = area("Landing page");
    fitHeight(el);
    expect(el.style.height).toBe("34px");
  });

  it("grows as lines are added and shrinks as they go", () => {
    const el = area("Design");
    const grow = autogrow(el, el.value);
    expect(el.style.height).toBe("34px");
    el.value = "Design\nWireframes\nReview";
    el.dispatchEvent(new Event("input"));
    expect(el.style.height).toBe("74px");
    el.value = "Design";
    grow.update(el.value);
    expect(el.style.height).toBe("34px");
    grow.destroy();
    el.value = "a\nb";
    el.dispatchEvent(new Event("input"));
    expect(el.style.height).toBe("34px");
  });
});
