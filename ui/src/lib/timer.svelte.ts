// The running timer, shared by the Timer view, the keyboard shortcut and
// the tray (which announces changes with the "timer-changed" event).
// Elapsed time is the seconds the books reported plus the time since.

import { commands, ok, type TimerView } from "./api";
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
}

export const timer = $state<TimerState>({
  running: null,
  fetchedAt: Date.now(),
  now: Date.now(),
  projectId: null,
  taskId: null,
  description: "",
  version: 0,
});

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

export async function refreshTimer(): Promise<void> {
  const running = await ok(commands.timerStatus());
  timer.running = running;
  timer.fetchedAt = Date.now();
  timer.now = timer.fetchedAt;
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
    }),
  );
  if (started.stopped) timer.version++;
  timer.running = started.timer;
  timer.fetchedAt = Date.now();
  timer.now = timer.fetchedAt;
}

export async function stopTimer(): Promise<void> {
  await ok(commands.timerStop());
  timer.running = null;
  timer.description = "";
  timer.version++;
}
