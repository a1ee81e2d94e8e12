// The project picker: a search that leaves one project chooses it, and
// Enter chooses the first of several.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { Client, Project } from "../lib/api";
import ProjectPicker from "./ProjectPicker.svelte";

const clients = [
  { id: 1, name: "Acme GmbH" },
  { id: 2, name: "Globex AG" },
] as Client[];
const projects = [
  { id: 10, client_id: 1, name: "Website relaunch", archived: false },
  { id: 11, client_id: 1, name: "Mobile app", archived: false },
  { id: 12, client_id: 2, name: "Online shop", archived: false },
  { id: 13, client_id: 2, name: "Old shop", archived: true },
] as Project[];

describe("ProjectPicker", () => {
  let view: ReturnType<typeof mount> | undefined;
  afterEach(() => {
    if (view) unmount(view);
    document.body.innerHTML = "";
  });

  function picker(): { search: HTMLInputElement; chosen: (number | null)[] } {
    const chosen: (number | null)[] = [];
    const target = document.createElement("div");
    document.body.append(target);
    view = mount(ProjectPicker, { target, props: { clients, projects, value: null, id: "p", onchange: (v) => chosen.push(v) } });
    flushSync();
    const search = target.querySelector<HTMLInputElement>("input[type=search]");
    if (!search) throw new Error("no search field");
    return { search, chosen };
  }

  function type(input: HTMLInputElement, text: string): void {
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
  }

  it("chooses the one project a search leaves", () => {
    const { search, chosen } = picker();
    type(search, "mob");
    expect(chosen).toEqual([11]);
  });

  it("does not choose while several match, nor an archived one", () => {
    const { search, chosen } = picker();
    type(search, "acme");
    expect(chosen).toEqual([]);
    // "shop": Online shop only, the archived Old shop does not count.
    type(search, "shop");
    expect(chosen).toEqual([12]);
  });

  it("chooses the first of several with Enter", () => {
    const { search, chosen } = picker();
    type(search, "acme");
    search.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(chosen).toEqual([10]);
  });
});
