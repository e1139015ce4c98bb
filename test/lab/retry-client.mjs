// A client's retry loop, run inside the client's namespace: GET the URL every
// `every` ms (each attempt bounded by `timeout` ms), for at most `max` ms,
// printing one JSON line per attempt ({t, ok, body}) and, at the end, the
// outage window: `gapMs` from the last success before the first failure to
// the next success (what the client lived through), `failingMs` from the
// first failed attempt to that success. Stops by itself once `until` (a substring of the body) has been
// answered; SIGTERM stops it early.
//   node retry-client.mjs <url> [until] [every=50] [timeout=300] [max=20000]
const [url, until = '', every = '50', timeout = '300', max = '20000'] = process.argv.slice(2);
const t0 = Date.now();
let stop = false;
process.on('SIGTERM', () => {
  stop = true;
});
let lastOk = -1;
let firstFail = -1;
let okBeforeFail = -1;
let outage;
while (!stop && Date.now() - t0 < Number(max)) {
  const at = Date.now();
  let ok = false;
  let body = '';
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(Number(timeout)) });
    body = (await r.text()).trim();
    ok = r.ok;
  } catch (e) {
    body = String(e?.cause?.code ?? e?.name ?? e);
  }
  const t = at - t0;
  console.log(JSON.stringify({ t, ok, body }));
  if (ok) {
    if (firstFail >= 0 && outage === undefined)
      outage = { lastOk: okBeforeFail, firstFail, back: t, gapMs: t - okBeforeFail, failingMs: t - firstFail };
    lastOk = t;
  } else if (lastOk >= 0 && firstFail < 0) {
    firstFail = t;
    okBeforeFail = lastOk;
  }
  if (ok && until && body.includes(until)) break;
  const left = Number(every) - (Date.now() - at);
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}
console.log(JSON.stringify({ outage: outage ?? null }));
