import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { exampleCommands } from "./commands";

describe("welcome page", () => {
  let app: ReturnType<typeof mount> | undefined;

  function render(): HTMLElement {
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(App, { target });
    flushSync();
    return target;
  }

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
  });

  it("names the app", () => {
    const page = render();
    expect(page.querySelector("h1")?.textContent).toBe("Billable");
  });

  it("shows every example command of the billable command line", () => {
    const page = render();
    const shown = [...page.querySelectorAll('[data-testid="example-command"]')].map(
      (element) => element.textContent,
    );
    expect(shown).toEqual(exampleCommands.map((example) => example.command));
    expect(shown.every((command) => command?.startsWith("billable"))).toBe(true);
  });

  it("offers no controls that do nothing yet", () => {
    const page = render();
    expect(page.querySelectorAll("button, a, input, select, textarea, form")).toHaveLength(0);
  });
});
