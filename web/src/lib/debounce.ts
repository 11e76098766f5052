// SPDX-License-Identifier: MIT
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Runs loads so that only the latest one's result is used (older ones are aborted). */
export function latest() {
  let controller: AbortController | null = null;
  return <T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    controller?.abort();
    controller = new AbortController();
    return run(controller.signal);
  };
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
