// A loopback proxy that holds requests on a condition, for interruption tests driven by progress
// rather than by sleeps (batch SIGKILL / SIGINT tests).
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback proxy in front of the explorer that stops answering as soon as `hold()` is true when
 * a request arrives: the child then cannot finish another seed that needs a request, whatever
 * the machine's load, so a kill sent on `onHold` lands mid-batch by construction, not by timing.
 * `release()` answers the held requests and every later one.
 */
export async function gatedProxy(target: string) {
  const upstream = new URL(target);
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let hold: (() => boolean) | null = null;
  let onHold = () => {};
  const forward = (url: string, res: ServerResponse) => {
    const up = request({ host: upstream.hostname, port: upstream.port, path: url }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end();
  };
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (hold !== null && hold()) {
      held.push(() => forward(url, res));
      if (held.length === 1) onHold();
      return;
    }
    forward(url, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    /** From now on, hold each request that arrives while `when()` is true; call `then` on the first. */
    gate(when: () => boolean, then: () => void) {
      hold = when;
      onHold = then;
    },
    release() {
      hold = null;
      for (const f of held.splice(0)) f();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
