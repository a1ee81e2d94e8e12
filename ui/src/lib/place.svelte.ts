// Where the books live, read once at start and after each change, shared by
// the banner (team books out of reach) and Data → Where your books live.

import { commands, ok, type BooksPlace, type TeamRole } from "./api";

export const place = $state<{ current: BooksPlace | null; role: TeamRole | null }>({ current: null, role: null });

/**
 * The views a team member's role lets them use: their timer and time, and
 * where the books live. The database refuses the rest (invoices, rates,
 * payments, others' time), so the window does not offer it.
 */
export const MEMBER_VIEWS = ["timer", "time", "data", "settings"] as const;

/** Whether the connected person may use `view` (everyone but a member: all). */
export function offered(view: string): boolean {
  return place.role !== "member" || (MEMBER_VIEWS as readonly string[]).includes(view);
}

/**
 * Whether the connected person looks after other people's time (approving
 * weeks, marking time invoiced elsewhere): everyone but a member.
 */
export function managesTime(): boolean {
  return place.role !== "member";
}

/** Who is connected (owner, manager or member); none while the books are closed. */
export async function loadRole(): Promise<void> {
  try {
    place.role = (await ok(commands.teamRole())).role;
  } catch {
    place.role = null;
  }
}

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

/** Tries the books again; when they open, the window starts afresh on them. */
export async function retryBooks(connected: (shown: string) => string): Promise<void> {
  const p = await reconnect();
  if (!p.error) reloadWith(connected(p.shown));
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
