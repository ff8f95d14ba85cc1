/**
 * Resolves on a later turn of the event loop, after pending I/O and timers: long work made of
 * synchronous steps (SQLite pages) awaits it between steps so the server keeps answering. Awaiting
 * a resolved promise is not enough: that continues in the same turn, as a microtask.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
