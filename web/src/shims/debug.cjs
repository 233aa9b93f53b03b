// No-op stand-in for the `debug` package in the browser bundle (scripts/build-web.mjs aliases it):
// 6 KiB (debug + ms) that only simple-peer uses, as `require('debug')('simple-peer')(fmt, ...)`.
// Its logs are off unless localStorage.debug is set, which our users never do. The rest of
// debug's API is kept, inert, in case a dependency reaches for it.
'use strict';

function createDebug(namespace) {
  function debug() {}
  debug.namespace = namespace;
  debug.enabled = false;
  debug.log = debug;
  debug.destroy = debug;
  debug.extend = function (sub, delimiter) {
    return createDebug(namespace + (delimiter === undefined ? ':' : delimiter) + sub);
  };
  return debug;
}
createDebug.enable = function () {};
createDebug.disable = function () { return ''; };
createDebug.enabled = function () { return false; };
createDebug.debug = createDebug.default = createDebug;

module.exports = createDebug;
