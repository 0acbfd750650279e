// GET /api/events read with fetch() and a ReadableStream (EventSource cannot send the
// Authorization header). The server sends a snapshot of everything on connect, then changes; after
// a drop the stream is opened again with a growing pause, and the new snapshot catches up.

import { checked, headers, Unauthorized } from './api.js';

export function connectEvents(handlers, onStatus) {
  const abort = new AbortController();
  let stopped = false;

  async function run() {
    let pause = 500;
    while (!stopped) {
      try {
        const response = await checked(await fetch('/api/events', { headers: headers('text/event-stream'), cache: 'no-store', signal: abort.signal }));
        if (!response.body) throw new Error('the event stream has no body');
        onStatus('live');
        pause = 500;
        await read(response.body, handlers);
      } catch (error) {
        if (stopped || abort.signal.aborted) return;
        if (error instanceof Unauthorized) {
          onStatus('signed out');
          return;
        }

        console.warn('console: event stream', error);
      }

      if (stopped) return;
      onStatus('reconnecting...');
      await new Promise(resolve => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  }

  run();
  return () => {
    stopped = true;
    abort.abort();
  };
}

// A chunk may hold hundreds of events (the snapshot on connect): they are cut out with a moving
// index and the rest kept once per chunk, not copied again per event.
async function read(body, handlers) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const started = performance.now();
    // CRLF as LF; a CR ending this chunk is joined to the LF starting the next one.
    buffer = (buffer + value).replace(/\r\n/g, '\n');
    let from = 0;
    let end;
    while ((end = buffer.indexOf('\n\n', from)) >= 0) {
      dispatch(buffer.slice(from, end), handlers);
      from = end + 2;
    }

    buffer = buffer.slice(from);
    performance.measure('console-events', { start: started, end: performance.now() });
    if (++chunks % 2000 === 0) performance.clearMeasures('console-events');
  }
}

let chunks = 0;

function dispatch(block, handlers) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }

  const handler = handlers[name];
  if (!handler || data.length === 0) return;
  let payload;
  try {
    payload = JSON.parse(data.join('\n'));
  } catch (error) {
    console.warn(`console: an unreadable '${name}' event`, error);
    return;
  }

  handler(payload);
}
