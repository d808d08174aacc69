/**
 * How long the threads that share a training step poll before they sleep:
 * kernel threads waiting for a job or its chunks, replicas at the gradient
 * exchange. The product's one waiting policy, here so that both use it.
 *
 * ```ts
 * import { SPIN_MS } from "./spin.ts";
 * const deadline = performance.now() + SPIN_MS; // poll until then, then Atomics.wait
 * ```
 *
 * @module
 */

/**
 * How long a waiting thread polls before it sleeps, in ms: a training step
 * posts jobs back to back, and waking a sleeping thread is slow. On an
 * earlier 2-vCPU machine of this project, a round trip to a spinning thread
 * took 0.6-0.8 us, to one that had gone to sleep 50-60 us, and to one
 * spinning with `Atomics.pause` 30-110 us (the hypervisor takes a pause loop
 * for a lock holder's wait); waits of about 80 us, 0.3 ms and 1 ms gave the
 * VAE's fit loop on 2 kernel threads 5.1-5.3, 2.9-3.4 and 3.0-3.4 ms a step.
 * On the Intel Xeon of session 13, a vCPU that sleeps goes back to a busy
 * host: with 1 ms of polls, the VAE's fit loop ran at 15.7-26.8 ms a step
 * with 25-32 % of the CPU time stolen, and with about 100 ms at 14.2-15.0
 * with 6-13 % (alternating runs; on a quiet host, 13.4-14.1 both ways). Long
 * enough for a step's serial stretches; an idle thread still sleeps.
 */
export const SPIN_MS = 50;
