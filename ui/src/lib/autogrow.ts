// A textarea that is as tall as its text: one row when short, more as it
// wraps or holds line breaks. Used as `use:autogrow={value}` so it also fits
// text that arrives from the books, and refits when its width changes.

/** Sets the textarea's height to what its text needs (border-box sizing). */
export function fitHeight(el: HTMLTextAreaElement): void {
  el.style.height = "auto";
  const style = getComputedStyle(el);
  const border = (Number.parseFloat(style.borderTopWidth) || 0) + (Number.parseFloat(style.borderBottomWidth) || 0);
  if (el.scrollHeight > 0) el.style.height = `${el.scrollHeight + border}px`;
  else el.style.removeProperty("height");
}

export function autogrow(el: HTMLTextAreaElement, _value?: string) {
  const fit = () => fitHeight(el);
  el.addEventListener("input", fit);
  let width = el.clientWidth;
  const resized =
    typeof ResizeObserver !== "undefined"
      ? new ResizeObserver(() => {
          // Only a new width rewraps the text; the height is ours.
          if (el.clientWidth === width) return;
          width = el.clientWidth;
          fit();
        })
      : null;
  resized?.observe(el);
  fit();
  return {
    update(_next?: string): void {
      fit();
    },
    destroy(): void {
      el.removeEventListener("input", fit);
      resized?.disconnect();
    },
  };
}
