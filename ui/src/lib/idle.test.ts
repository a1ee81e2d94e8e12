import { beforeEach, describe, expect, it } from "vitest";
import { idle, keepIdleTime, observe, setIdleMinutes } from "./idle.svelte";

const minute = 60;
const t0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe("idle detection", () => {
  beforeEach(() => {
    keepIdleTime();
    setIdleMinutes(10);
  });

  it("remembers when the person went away and asks when they are back", () => {
    expect(observe(9 * minute, t0, true)).toBe(false);
    expect(idle.since).toBeNull();
    // 12 minutes without input: away since 12 minutes before now.
    expect(observe(12 * minute, t0, true)).toBe(false);
    expect(idle.since).toBe(t0 - 12 * minute * 1000);
    // Still away later: the moment stays the same.
    expect(observe(20 * minute, t0 + 8 * minute * 1000, true)).toBe(false);
    expect(idle.since).toBe(t0 - 12 * minute * 1000);
    // Back (a key pressed): the question, once.
    expect(observe(2, t0 + 9 * minute * 1000, true)).toBe(true);
    expect(idle.asking).toBe(true);
    expect(observe(1, t0 + 9 * minute * 1000 + 5000, true)).toBe(false);
    keepIdleTime();
    expect([idle.since, idle.asking]).toEqual([null, false]);
  });

  it("never asks without a running timer, when off, or where the system cannot tell", () => {
    expect(observe(30 * minute, t0, false)).toBe(false);
    expect(observe(1, t0, false)).toBe(false);
    setIdleMinutes(0);
    expect(observe(30 * minute, t0, true)).toBe(false);
    expect(observe(1, t0, true)).toBe(false);
    setIdleMinutes(10);
    expect(observe(null, t0, true)).toBe(false);
    expect(idle.asking).toBe(false);
  });

  it("keeps the threshold in whole minutes from 0 to 240", () => {
    setIdleMinutes(2.6);
    expect(idle.minutes).toBe(3);
    setIdleMinutes(-5);
    expect(idle.minutes).toBe(0);
    setIdleMinutes(1000);
    expect(idle.minutes).toBe(240);
  });
});
