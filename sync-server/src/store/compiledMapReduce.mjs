/**
 * PouchDB's map/reduce for the embedded store, with each view's functions compiled once per
 * index update instead of once per document.
 *
 * pouchdb-mapreduce (7.3.1) runs a design document's map function in Node by writing the
 * document's JSON into a new source text and running it in a **new VM context for every
 * document** (`vm.runInNewContext`, its evalFunctionInVm). Profiled in the embedded store during
 * a reconnection storm (bench/findings.md), that was 49 s of the store's 300 s of CPU, and it is
 * most of what limits view indexing (the cockpit's figure views) to about a hundred cases a
 * second. A known cost upstream (Thali_CordovaPlugin#1627, apache/pouchdb#6957).
 *
 * Here a view's map (or custom reduce) function is compiled once per index update in one VM
 * context of its own, with the same names in scope as upstream (`emit`, `sum`, `log`,
 * `isArray`, `toJSON`), strict mode, and each document handed over as a JSON copy as upstream
 * does (a map function that changes its document cannot change the id its rows are filed
 * under). The built-in reduces and the design-document check are upstream's, written again
 * here: pouchdb-mapreduce exports only its plugin. Everything else — the index format, its
 * local document name ('mrviews', so existing indexes stay valid), indexing and querying — is
 * pouchdb-abstract-mapreduce, as upstream's plugin uses it.
 * The design documents are the hub's own (figureViews.ts); the sandbox is kept all the same.
 */
import vm from 'node:vm';
import createAbstractMapReduce from 'pouchdb-abstract-mapreduce';
import { BuiltInError, NotFoundError } from 'pouchdb-mapreduce-utils';

function builtInError(name) {
  return new BuiltInError(
    `builtin ${name} function requires map values to be numbers or number arrays`,
  );
}

/** CouchDB's `_sum`: numbers, or arrays of numbers summed position by position (as upstream). */
function sum(values) {
  let result = 0;
  for (const num of values) {
    if (typeof num !== 'number') {
      if (!Array.isArray(num)) throw builtInError('_sum');
      result = typeof result === 'number' ? [result] : result;
      for (let j = 0; j < num.length; j += 1) {
        const jNum = num[j];
        if (typeof jNum !== 'number') throw builtInError('_sum');
        if (typeof result[j] === 'undefined') result.push(jNum);
        else result[j] += jNum;
      }
    } else if (typeof result === 'number') {
      result += num;
    } else {
      result[0] += num;
    }
  }
  return result;
}

const BUILT_IN_REDUCE = {
  _sum: (keys, values) => sum(values),
  _count: (keys, values) => values.length,
  _stats: (keys, values) => {
    let sumsqr = 0;
    for (const v of values) sumsqr += v * v;
    return {
      sum: sum(values),
      min: Math.min(...values),
      max: Math.max(...values),
      count: values.length,
      sumsqr,
    };
  },
};

/**
 * The function `source` compiled in a fresh VM context; `emit` (a map's) is called for every
 * emitted row. Arguments go in as JSON copies, as upstream's source-text round trip did.
 */
function sandboxed(source, emit) {
  const context = vm.createContext({
    emit: emit ?? (() => undefined),
    sum,
    log: () => undefined,
    isArray: Array.isArray,
    toJSON: JSON.parse,
  });
  const fn = vm.runInContext(
    `(function () { "use strict"; return (${String(source).replace(/;\s*$/, '')}); })()`,
    context,
  );
  if (typeof fn !== 'function')
    throw new TypeError(`not a function: ${String(source).slice(0, 80)}`);
  return (...args) => fn(...args.map((a) => (a === undefined ? a : JSON.parse(JSON.stringify(a)))));
}

function mapper(mapFun, emit) {
  // Temporary views may pass `function (doc, emit)` itself (as upstream).
  if (typeof mapFun === 'function' && mapFun.length === 2) return (doc) => mapFun(doc, emit);
  return sandboxed(mapFun, emit);
}

function reducer(reduceFun) {
  const source = String(reduceFun);
  const builtIn = /^_(sum|count|stats)/.exec(source);
  if (builtIn) return BUILT_IN_REDUCE[`_${builtIn[1]}`];
  if (/^_/.test(source)) throw new Error(`${source} is not a supported reduce function.`);
  return sandboxed(source);
}

function ddocValidator(ddoc, viewName) {
  const fun = ddoc.views && ddoc.views[viewName];
  if (typeof fun.map !== 'string') {
    throw new NotFoundError(
      `ddoc ${ddoc._id} has no string view named ${viewName}, instead found object of type: ${typeof fun.map}`,
    );
  }
}

const abstract = createAbstractMapReduce('mrviews', mapper, reducer, ddocValidator);

/** The PouchDB plugin: `PouchDB.plugin(compiledMapReduce)` in place of pouchdb-mapreduce. */
export default {
  query(fun, opts, callback) {
    return abstract.query.call(this, fun, opts, callback);
  },
  viewCleanup(callback) {
    return abstract.viewCleanup.call(this, callback);
  },
};
