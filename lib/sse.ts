/**
 * Server-sent events for one browser: a reconnect delay, one `event: <name>` per
 * change from `subscribe`, a comment as heartbeat, and the subscription ended
 * when the browser goes (abort) or the reader cancels.
 */
export function sseStream(subscribe: (emit: (event: string, data: unknown) => void) => () => void, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      send('retry: 3000\n\n');
      const unsubscribe = subscribe((event, data) => send(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const ping = setInterval(() => send(': ping\n\n'), 15_000);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(ping);
        unsubscribe();
      };
      signal?.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed by the reader */
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
}
