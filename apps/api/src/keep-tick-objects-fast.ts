import { executionAsyncResource } from 'node:async_hooks';

/**
 * One of `process.nextTick`'s tick objects, kept for the life of the process. Imported first by main.ts.
 *
 * Why: Node 20 builds each tick object with an object literal whose first keys are computed (two symbols),
 * and V8 records the object's map in that site's feedback. In an API process that map was replaced twice in
 * the first two seconds (`%DebugPrint` of a tick object showed three different maps; with one tick object
 * held, one map for the whole run): V8 holds the map only weakly, so it can be freed when no tick object is
 * alive at a full collection, and the next tick object gets a new one. Seeing a second map turns the site's
 * feedback megamorphic for good: from then on every `nextTick` (five or six per HTTP request, from Node's own
 * streams) defines its fields in the V8 runtime instead of in optimized code. Holding one tick object keeps
 * its map alive.
 *
 * Measured with perf on the legacy plan GET under load: in processes where it had happened (three of four
 * runs of the API before this), about 4.5 µs of CPU per request went to `Runtime_DefineKeyedOwnPropertyInLiteral`
 * and the map migrations around it, roughly a tenth of the request; with the object held, none. It is also
 * part of why the same build measured so differently from one process to the next. Remove this once Node
 * builds tick objects another way (or V8 keeps such maps).
 */
export const retainedTickObjects: object[] = [];

process.nextTick(() => {
  // Inside a nextTick callback, the current async resource is that tick's object.
  retainedTickObjects.push(executionAsyncResource());
});
