// Idle detection on a running timer: while it runs, the window asks the
// system every few seconds how long the person has not touched keyboard
// or mouse. Past the threshold (a preference, in minutes; 0 turns it off)
// the moment they went away is remembered; when they are back, the window
// asks what to do with that time: keep it, leave it out and go on, or stop
// the timer when they went away.

import { commands, ok, type TimerIdle } from "./api";
import { adoptRunning, noteStopped, timer } from "./timer.svelte";

const KEY = "billable.idleMinutes";
export const DEFAULT_IDLE_MINUTES = 10;
/** How often the system is asked while a timer runs. */
export const POLL_MS = 5000;

function storedMinutes(): number {
  try {
    const text = typeof localStorage !== "undefined" ? localStorage.getItem(KEY) : null;
    if (text === null) return DEFAULT_IDLE_MINUTES;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= 240 ? n : DEFAULT_IDLE_MINUTES;
  } catch {
    return DEFAULT_IDLE_MINUTES;
  }
}

export const idle = $state<{
  /** Minutes of no input before asking; 0: never. */
  minutes: number;
  /** When the person went away (ms since the epoch), while away or asked. */
  since: number | null;
  /** They are back: the question is on screen. */
  asking: boolean;
  /** The system cannot tell idle time. */
  unsupported: boolean;
}>({ minutes: storedMinutes(), since: null, asking: false, unsupported: false });

/** Sets the threshold (whole minutes, 0 to 240; 0 turns the question off). */
export function setIdleMinutes(minutes: number): void {
  const n = Math.max(0, Math.min(240, Math.round(minutes)));
  idle.minutes = n;
  try {
    localStorage.setItem(KEY, String(n));
  } catch {
    // Private storage may be unavailable; the choice lasts this session.
  }
}

/**
 * One observation: `seconds` idle at `now` (ms). Returns true when the
 * person has just come back from being away past the threshold.
 */
export function observe(seconds: number | null, now: number, running: boolean, minutes = idle.minutes): boolean {
  if (!running || minutes <= 0 || seconds === null) {
    if (!idle.asking) idle.since = null;
    return false;
  }
  if (seconds >= minutes * 60) {
    idle.since ??= now - seconds * 1000;
    return false;
  }
  if (idle.since !== null && !idle.asking) {
    idle.asking = true;
    return true;
  }
  return false;
}

let polling: ReturnType<typeof setInterval> | undefined;

/** Starts asking the system (once per app). */
export function watchIdle(): void {
  polling ??= setInterval(() => {
    if (!timer.running || idle.minutes <= 0 || idle.asking) return;
    void commands
      .idleSeconds()
      .then((seconds) => {
        idle.unsupported = seconds === null;
        observe(seconds, Date.now(), timer.running !== null);
      })
      .catch(() => undefined);
  }, POLL_MS);
}

/** The question answered: keep the time (nothing changes). */
export function keepIdleTime(): void {
  idle.since = null;
  idle.asking = false;
}

/** Leaves the idle time out; `keepRunning` starts the timer again now. */
export async function dropIdleTime(keepRunning: boolean): Promise<TimerIdle> {
  const since = idle.since;
  if (since === null) throw new Error("no idle time to drop");
  const result = await ok(commands.timerIdle(new Date(since).toISOString(), keepRunning));
  adoptRunning(result.timer ?? null);
  if (!result.timer) timer.description = "";
  noteStopped(result.stopped);
  idle.since = null;
  idle.asking = false;
  return result;
}
