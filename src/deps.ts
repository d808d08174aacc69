/**
 * The project's third-party imports, with their versions, in one place.
 *
 * Modules under `src/` import from here rather than through `deno.json`'s
 * import map, because a script that imports `mod.ts` from a URL does not see
 * that map: the full `npm:` specifiers must be in the module graph itself.
 * `tests/deps_test.ts` checks these pins equal the ones in `deno.json`.
 *
 * @module
 */
// `@internal` keeps `deno doc --lint mod.ts` from calling tfjs types in
// diabolo's API (tf.Tensor, tfl.LayersModel, ...) private: it does not see
// them as public through these namespaces, and re-exporting them from mod.ts
// makes it lint all of tfjs (about 1,000 undocumented symbols) instead.
/** @internal */
export * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
/** @internal */
export * as tfl from "npm:@tensorflow/tfjs-layers@4.22.0";
export * as fflate from "npm:fflate@0.8.2";
import pngjs from "npm:pngjs@7.0.0";
import jpegJs from "npm:jpeg-js@0.4.4";
export { jpegJs, pngjs };
