// A background task on an interval that never overlaps itself: a run that
// outlasts the interval makes the next tick skip, not pile up.
export function runEvery(intervalMs: number, task: () => Promise<unknown>, onError: (e: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
