// Events come in bursts (a thousand sessions expiring at once): a page reloads at most one at a time,
// and once more after a burst, never once per event.

/** A function that runs load() now, or once after the load in flight when called during one. */
export function reloader(load) {
  let running = null;
  let again = false;
  return function reload() {
    if (running) {
      again = true;
      return;
    }
    running = load().finally(() => {
      running = null;
      if (again) {
        again = false;
        reload();
      }
    });
  };
}
