// The running timer, shared by the Timer view, the keyboard shortcut and
// the tray (which announces changes with the "timer-changed" event).
// Elapsed time is the seconds the books reported plus the time since.

import { commands, ok, type EntryInput, type EntryView, type KeptStop, type TimerStopped, type TimerView } from "./api";
import { t } from "./i18n.svelte";

interface TimerState {
  running: TimerView | null;
  fetchedAt: number;
  now: number;
  /** The project the next start uses (the picker's choice). */
  projectId: number | null;
  taskId: number | null;
  description: string;
  /** Bumped whenever an entry was created, so lists reload. */
  version: number;
  /** The entry of a timer stopped within a minute, kept as non-billable. */
  short: EntryView | null;
  /** Team books: a timer stopped while their server was out of reach, kept on this computer. */
  keptStop: KeptStop | null;
}

export const timer = $state<TimerState>({
  running: null,
  fetchedAt: Date.now(),
  now: Date.now(),
  projectId: null,
  taskId: null,
  description: "",
  version: 0,
  short: null,
  keptStop: null,
});

/** An entry change that changes nothing: set only the fields to change. */
export function blankEntry(): EntryInput {
  return {
    project_id: null,
    task_id: null,
    member_id: null,
    description: null,
    billable: null,
    rate: null,
    start: null,
    end: null,
    date: null,
    hours: null,
  };
}

/** After a timer stopped: the short-timer notice, and lists reload. */
export function noteStopped(stopped: TimerStopped | null | undefined): void {
  if (!stopped) return;
  timer.short = stopped.short && stopped.entry ? stopped.entry : null;
  timer.version++;
}

/** Bills a short timer's entry after all (the person meant it). */
export async function billShortEntry(): Promise<void> {
  const entry = timer.short;
  if (!entry) return;
  await ok(commands.editEntry(entry.id, { ...blankEntry(), billable: true }));
  timer.short = null;
  timer.version++;
}

let ticking: ReturnType<typeof setInterval> | undefined;

export function startTicking(): void {
  ticking ??= setInterval(() => {
    timer.now = Date.now();
  }, 1000);
}

export function elapsedSeconds(): number {
  if (!timer.running) return 0;
  return timer.running.elapsed_seconds + Math.max(0, Math.floor((timer.now - timer.fetchedAt) / 1000));
}

/** Takes the running timer (or none) the books answered with, as of now. */
export function adoptRunning(running: TimerView | null): void {
  timer.running = running;
  timer.fetchedAt = Date.now();
  timer.now = timer.fetchedAt;
}

export async function refreshTimer(): Promise<void> {
  timer.keptStop = await commands.keptTimerStop();
  const running = await ok(commands.timerStatus());
  timer.keptStop = await commands.keptTimerStop();
  adoptRunning(running);
  if (running) {
    timer.projectId = running.project_id;
    timer.taskId = running.task_id;
    timer.description = running.description;
  }
}

export async function startTimer(): Promise<void> {
  if (timer.projectId === null) throw new Error(t("time.timer.choose_project"));
  const started = await ok(
    commands.timerStart({
      project_id: timer.projectId,
      task_id: timer.taskId,
      description: timer.description,
      member_id: null,
      billable: null,
      started_at: null,
    }),
  );
  noteStopped(started.stopped);
  adoptRunning(started.timer);
}

export async function stopTimer(): Promise<void> {
  const stopped = await ok(commands.timerStop());
  timer.running = null;
  timer.description = "";
  noteStopped(stopped);
  timer.keptStop = await commands.keptTimerStop();
}
