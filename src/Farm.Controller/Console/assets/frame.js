// Batches DOM work per animation frame: events only mark what changed, and each changed item is
// drawn once per frame however many events arrived for it. 200 busy drives reporting every second
// cost one short flush per frame, never a re-render of the page per event.

const pending = new Map();
let requested = false;
let flushes = 0;

export function onNextFrame(key, work) {
  pending.set(key, work);
  if (!requested) {
    requested = true;
    requestAnimationFrame(flush);
  }
}

function flush() {
  requested = false;
  const batch = [...pending.values()];
  pending.clear();
  const started = performance.now();
  for (const work of batch) {
    try {
      work();
    } catch (error) {
      console.error('console: drawing failed', error);
    }
  }

  // A measure per flush lets anyone (and the browser tests) read what a frame cost; cleared now
  // and then so a console left open for days does not grow.
  if (++flushes % 2000 === 0) performance.clearMeasures('console-flush');
  performance.measure('console-flush', { start: started, end: performance.now(), detail: batch.length });
}
