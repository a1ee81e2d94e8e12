// What another view asks the recurring view to open with: "Make recurring"
// on an invoice preselects that invoice in the new-profile form.

export const recurringIntent = $state<{ invoice: string | null }>({ invoice: null });

/** The invoice to preselect, once: reading it clears it. */
export function takeRecurringIntent(): string | null {
  const invoice = recurringIntent.invoice;
  recurringIntent.invoice = null;
  return invoice;
}
