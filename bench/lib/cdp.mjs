// The Chrome DevTools Protocol on workerd's inspector (Miniflare's
// inspectorPort): `send(method, params)` resolves the result, and
// `onEvent(method, params)` sees every event (heap snapshot chunks).
// `ws` comes with wrangler and miniflare; Node 20 has no WebSocket client of its own.
import WebSocket from 'ws';

export async function connect(port, onEvent = () => {}) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let id = 0;
  const pending = new Map();
  ws.on('message', (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.method) onEvent(msg.method, msg.params);
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  ws.on('error', (e) => process.stderr.write(`inspector: ${e.message}\n`));
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`inspector: no answer to ${method} in 300 s`)), 300_000);
      pending.set(++id, (msg) => (clearTimeout(timer), msg.error ? fail(new Error(`${method}: ${msg.error.message}`)) : ok(msg.result)));
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}
