// The native file dialogs (open and save), in one place. The desktop
// end-to-end walk cannot click into a GTK file chooser, so it queues the
// answers a person would give in `window.__billableDialogAnswers`; when that
// queue exists (only a test puts it there), the next answer is taken from it
// instead of showing the dialog. Everything else about the call is the same.

import { open, save, type OpenDialogOptions, type SaveDialogOptions } from "@tauri-apps/plugin-dialog";

declare global {
  interface Window {
    __billableDialogAnswers?: (string | null)[];
  }
}

function queued(): { answer: string | null } | null {
  const queue = typeof window !== "undefined" ? window.__billableDialogAnswers : undefined;
  if (!queue || queue.length === 0) return null;
  return { answer: queue.shift() ?? null };
}

/** Where to write a file, or null when the person cancelled. */
export async function chooseSavePath(options: SaveDialogOptions): Promise<string | null> {
  const q = queued();
  if (q) return q.answer;
  return (await save(options)) ?? null;
}

/** One existing file to read, or null when the person cancelled. */
export async function chooseOpenPath(options: Omit<OpenDialogOptions, "multiple" | "directory">): Promise<string | null> {
  const q = queued();
  if (q) return q.answer;
  const picked = await open({ ...options, multiple: false, directory: false });
  return typeof picked === "string" ? picked : null;
}
