// Minimal Node-style EventEmitter for the browser bundle. simple-peer and readable-stream
// (its dependency) `require('events')`; the `events` npm package is not installed, and this is
// all they use: on/once/prepend*/off/emit/listeners/listenerCount.
'use strict';

function EventEmitter() {
  this._events = Object.create(null);
  this._maxListeners = undefined;
}

function list(ee, type) {
  if (!ee._events) ee._events = Object.create(null);
  return ee._events[type] || (ee._events[type] = []);
}

EventEmitter.prototype.on = EventEmitter.prototype.addListener = function (type, fn) {
  list(this, type).push(fn);
  return this;
};
EventEmitter.prototype.prependListener = function (type, fn) {
  list(this, type).unshift(fn);
  return this;
};
function onceWrapper(ee, type, fn) {
  function wrapped() {
    ee.removeListener(type, wrapped);
    return fn.apply(ee, arguments);
  }
  wrapped.listener = fn;
  return wrapped;
}
EventEmitter.prototype.once = function (type, fn) {
  return this.on(type, onceWrapper(this, type, fn));
};
EventEmitter.prototype.prependOnceListener = function (type, fn) {
  return this.prependListener(type, onceWrapper(this, type, fn));
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener = function (type, fn) {
  var l = this._events && this._events[type];
  if (!l) return this;
  for (var i = l.length - 1; i >= 0; i--) {
    if (l[i] === fn || l[i].listener === fn) {
      l.splice(i, 1);
      break;
    }
  }
  if (l.length === 0) delete this._events[type];
  return this;
};
EventEmitter.prototype.removeAllListeners = function (type) {
  if (!this._events) return this;
  if (type === undefined) this._events = Object.create(null);
  else delete this._events[type];
  return this;
};
EventEmitter.prototype.emit = function (type) {
  var l = this._events && this._events[type];
  var args = Array.prototype.slice.call(arguments, 1);
  if (!l || l.length === 0) {
    if (type === 'error') {
      var err = args[0];
      throw err instanceof Error ? err : new Error('Unhandled error: ' + String(err));
    }
    return false;
  }
  l = l.slice();
  for (var i = 0; i < l.length; i++) l[i].apply(this, args);
  return true;
};
EventEmitter.prototype.listeners = function (type) {
  var l = this._events && this._events[type];
  return l ? l.map(function (f) { return f.listener || f; }) : [];
};
EventEmitter.prototype.rawListeners = function (type) {
  var l = this._events && this._events[type];
  return l ? l.slice() : [];
};
EventEmitter.prototype.listenerCount = function (type) {
  var l = this._events && this._events[type];
  return l ? l.length : 0;
};
EventEmitter.prototype.eventNames = function () {
  return this._events ? Object.keys(this._events) : [];
};
EventEmitter.prototype.setMaxListeners = function (n) {
  this._maxListeners = n;
  return this;
};
EventEmitter.prototype.getMaxListeners = function () {
  return this._maxListeners === undefined ? 10 : this._maxListeners;
};
EventEmitter.listenerCount = function (ee, type) {
  return ee.listenerCount(type);
};
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;

module.exports = EventEmitter;
