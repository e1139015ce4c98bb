// A metadata proxy that misbehaves on demand, for test/lab/guest-faults.test.ts.
// It runs inside an instance namespace on 127.0.0.1:<port> and forwards to the
// lab's metadata service (the connection leaves from the instance, so the
// service still knows who is asking). `GET /__fault/<mode>?ms=<n>` switches:
//   pass      forward as is
//   fail      answer 500 to everything
//   slow      wait <ms> before forwarding (the agent may give up first)
//   truncate  forward, but send only half of the body and cut the connection
//   reset     cut every connection at once, and every new one
// Switching also cuts the connections open at that moment (a long-poll held
// by the service is answered by the new mode's behaviour on the agent's next try).
import http from 'node:http';

const port = Number(process.argv[2]);
const upstream = process.argv[3] ?? 'http://100.100.100.200';
let mode = 'pass';
let delayMs = 0;
const open = new Set();

const server = http.createServer((req, res) => {
  const m = /^\/__fault\/(pass|fail|slow|truncate|reset)(?:\?ms=(\d+))?$/.exec(req.url ?? '');
  if (m) {
    mode = m[1];
    delayMs = Number(m[2] ?? 0);
    for (const s of open) if (s !== req.socket) s.destroy();
    res.end(`${mode}\n`);
    return;
  }
  if (mode === 'reset') return req.socket.destroy();
  if (mode === 'fail') {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const forward = () => {
      const up = http.request(
        new URL(req.url, upstream),
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
        (ur) => {
          const body = [];
          ur.on('data', (c) => body.push(c));
          ur.on('end', () => {
            const all = Buffer.concat(body);
            if (mode === 'truncate') {
              res.writeHead(ur.statusCode ?? 502, { ...ur.headers, 'content-length': String(all.length) });
              res.write(all.subarray(0, Math.floor(all.length / 2)));
              req.socket.destroy();
              return;
            }
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            res.end(all);
          });
        },
      );
      up.on('error', () => req.socket.destroy());
      req.socket.once('close', () => up.destroy());
      up.end(Buffer.concat(chunks));
    };
    if (mode === 'slow') setTimeout(forward, delayMs);
    else forward();
  });
});
server.on('connection', (s) => {
  open.add(s);
  s.once('close', () => open.delete(s));
});
server.listen(port, '127.0.0.1', () => console.log(`fault proxy listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => process.exit(0));
