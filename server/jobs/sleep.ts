/**
 * Resolves after `ms`, or at once when `signal` aborts. The abort listener is removed when the timer
 * fires: the worker sleeps between polls with one long-lived signal, and a listener left behind per
 * poll grew without bound (Node warns at 11: MaxListenersExceededWarning).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
