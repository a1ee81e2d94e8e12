// Where the books live, read once at start and after each change, shared by
// the banner (team books out of reach) and Data → Where your books live.

import { commands, ok, type BooksPlace } from "./api";

export const place = $state<{ current: BooksPlace | null }>({ current: null });

const NOTICE = "billable.books-place-notice";

export async function loadPlace(): Promise<BooksPlace> {
  const p = await commands.booksPlace();
  place.current = p;
  return p;
}

/** Tries the books again (a team server that was out of reach). */
export async function reconnect(): Promise<BooksPlace> {
  const p = await ok(commands.reconnectBooks());
  place.current = p;
  return p;
}

/**
 * After the books changed, every view must read the new ones: the window
 * starts afresh, and says once what happened.
 */
export function reloadWith(notice: string): void {
  sessionStorage.setItem(NOTICE, notice);
  window.location.reload();
}

/** The sentence left by [`reloadWith`], shown once. */
export function takeNotice(): string | null {
  const notice = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  return notice;
}
