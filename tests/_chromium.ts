/**
 * Opens a local page in headless Chromium (Debian's `chromium`) through the
 * DevTools protocol: collects console errors and uncaught exceptions,
 * evaluates an expression in the page and takes a screenshot.
 * @module
 */

/** What a page showed. */
export interface PageVisit {
  /** Console errors, uncaught exceptions and failed loads, as text. */
  errors: string[];
  /** The value of the expression evaluated after load. */
  value: unknown;
  /** A full-page PNG screenshot. */
  screenshot: Uint8Array;
}

/** The Chromium binary on PATH, if any. */
export async function findChromium(): Promise<string | undefined> {
  for (const path of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      await Deno.stat(path);
      return path;
    } catch { /* next */ }
  }
  return undefined;
}

/** Loads `file` (absolute path) and evaluates `expression` once the load event fired and `settleMs` passed. */
export async function visitPage(
  chromium: string,
  file: string,
  { expression, settleMs = 500 }: { expression: string; settleMs?: number },
): Promise<PageVisit> {
  await Deno.mkdir(".tmp", { recursive: true });
  const profile = await Deno.makeTempDir({ dir: ".tmp", prefix: "chromium_" });
  const proc = new Deno.Command(chromium, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${Deno.realPathSync(profile)}`,
      "--remote-debugging-port=0",
      "--window-size=1280,900",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const endpoint = await devtoolsEndpoint(proc.stderr);
    const targets = await (await fetch(`http://${endpoint}/json/list`)).json();
    const page = targets.find((t: { type: string }) => t.type === "page");
    return await drive(page.webSocketDebuggerUrl, file, expression, settleMs);
  } finally {
    proc.kill();
    await proc.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

async function devtoolsEndpoint(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stderr.getReader();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const m = text.match(/DevTools listening on ws:\/\/([^/]+)\//);
    if (m) {
      // Keep draining stderr so Chromium never blocks on a full pipe.
      (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
      })();
      return m[1];
    }
  }
  throw new Error(`Chromium did not start its DevTools server:\n${text.slice(-2000)}`);
}

async function drive(
  wsUrl: string,
  file: string,
  expression: string,
  settleMs: number,
): Promise<PageVisit> {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  let id = 0;
  const pending = new Map<
    number,
    (r: { result?: Record<string, unknown>; error?: unknown }) => void
  >();
  const errors: string[] = [];
  let loaded: () => void = () => {};
  const loadEvent = new Promise<void>((resolve) => (loaded = resolve));
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
    else if (msg.method === "Page.loadEventFired") loaded();
    else if (msg.method === "Runtime.exceptionThrown") {
      errors.push(
        `exception: ${
          msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text
        }`,
      );
    } else if (
      msg.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(msg.params.type)
    ) {
      errors.push(
        `console.${msg.params.type}: ${
          msg.params.args.map((a: { value?: unknown; description?: string }) =>
            a.value ?? a.description
          ).join(" ")
        }`,
      );
    } else if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error") {
      errors.push(`log: ${msg.params.entry.text} ${msg.params.entry.url ?? ""}`);
    }
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const n = ++id;
      pending.set(
        n,
        (
          r,
        ) => (r.error
          ? reject(new Error(`${method}: ${JSON.stringify(r.error)}`))
          : resolve(r.result ?? {})),
      );
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  try {
    await send("Page.enable");
    await send("Runtime.enable");
    await send("Log.enable");
    await send("Page.navigate", { url: `file://${file}` });
    await loadEvent;
    await new Promise((r) => setTimeout(r, settleMs));
    const evaluated = await send("Runtime.evaluate", { expression, returnByValue: true });
    const shot = await send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
    });
    const bin = atob(shot.data as string);
    return {
      errors,
      value: (evaluated.result as { value?: unknown }).value,
      screenshot: Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    };
  } finally {
    ws.close();
  }
}
