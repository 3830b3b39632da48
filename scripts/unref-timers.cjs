// Preloaded into the Prisma CLI: its wasm schema engine leaves long timers behind that keep
// `migrate dev` alive ~60 s and `migrate deploy` ~10 s after the work is done.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function patchedSetTimeout(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (typeof delay === "number" && delay >= 5000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
