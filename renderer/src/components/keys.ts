// Keyboard shortcuts stay out of the way while the user types: the one check every shortcut
// handler (session screen, sequence view, the `?` overlay) asks first.

/** True when a key event's target is a text field, a select or an editable element. */
export function isTyping(el: EventTarget | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.tagName === 'INPUT' ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT' ||
      el.isContentEditable)
  );
}
