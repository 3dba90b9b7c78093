// Runs the reconnect script of `serve`'s page (tests/test_serve_reconnect.py) in Node
// with a stand-in for the page's body, timers and storage, and Node's real fetch: the
// WebSocket closes, the tries run one after another (their delays recorded, not
// waited), first against `down` (nothing listening), then against `up` (the server).
// Prints what the page said, the delays asked for, and whether it reloaded.
"use strict";
const vm = require("node:vm");

async function main() {
  const { script, down, up, downTries, stored } = JSON.parse(require("node:fs").readFileSync(0));
  const classes = new Set(["-first-byte"]);
  const said = [];
  const delays = [];
  const pending = new Map();
  const storage = new Map(stored ? [["lastgood.connection-lost", stored]] : []);
  let observed = null;
  let reloaded = false;
  let nextTimer = 1;
  const page = {
    document: {
      body: {
        classList: {
          contains: (name) => classes.has(name),
          add: (name) => {
            classes.add(name);
            observed();
          },
        },
      },
      getElementById: (id) => (id === "lost" ? { set textContent(text) { said.push(text); } } : null),
    },
    location: { href: down, reload: () => { reloaded = true; } },
    sessionStorage: {
      getItem: (key) => (storage.has(key) ? storage.get(key) : null),
      setItem: (key, value) => storage.set(key, String(value)),
      removeItem: (key) => storage.delete(key),
    },
    setTimeout: (run, ms) => {
      delays.push(ms);
      pending.set(nextTimer, run);
      return nextTimer++;
    },
    clearTimeout: (id) => pending.delete(id),
    MutationObserver: class {
      constructor(callback) { observed = () => callback([]); }
      observe() {}
    },
    addEventListener: () => {},
    fetch, Date, Math, JSON, String,
  };
  page.window = page;
  vm.runInNewContext(script, page);
  page.document.body.classList.add("-closed");
  for (let tries = 0; !reloaded && tries < downTries + 1; tries++) {
    if (tries === downTries) page.location.href = up;
    const [id, run] = [...pending.entries()].pop();
    pending.delete(id);
    await run();
  }
  console.log(JSON.stringify({ said, delays, reloaded, stored: storage.get("lastgood.connection-lost") }));
}
main();
