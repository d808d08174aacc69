/**
 * The body of a kernel thread (see kernel_threads.ts): it instantiates the
 * kernel modules on tfjs-backend-wasm's shared memory as jobs need them,
 * then sleeps until a job is posted, takes its chunks while there are any,
 * and sleeps again.
 *
 * @module
 */
import {
  control,
  functionNames,
  KERNEL_MODULES,
  MODULE_NAMES,
  runChunks,
  SLOT,
  waitOn,
} from "./_kernel_parts.ts";

/** The helper's only message: the backend's memory, the control block and this thread's index. */
export interface HelperInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  thread: number;
}

type Fn = (...args: number[]) => void;

// A worker's global scope, typed here without the deno.worker lib (which a published module may not reference).
const scope = self as unknown as {
  onmessage: (e: MessageEvent<HelperInit>) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = (e: MessageEvent<HelperInit>) => {
  const { memory, thread } = e.data;
  const c = control(e.data.control);
  const instances = new Map<number, Fn[]>();
  const kernel = (m: number, f: number) => {
    let fns = instances.get(m);
    if (!fns) {
      const kernel = KERNEL_MODULES[MODULE_NAMES[m]];
      const exports = new WebAssembly.Instance(kernel.shared, { env: { memory } }).exports;
      fns = functionNames(kernel).map((name) => exports[name] as Fn);
      instances.set(m, fns);
    }
    return fns[f];
  };
  scope.postMessage("ready");
  // Jobs until told to stop: this loop never returns to the event loop.
  let seen = Atomics.load(c.ints, SLOT.JOB);
  for (;;) {
    seen = waitOn(c.ints, SLOT.JOB, seen);
    if (Atomics.load(c.ints, SLOT.STOP)) return;
    seen = runChunks(c, thread, kernel);
  }
};
