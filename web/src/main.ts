/** Browser entry point (bundled by scripts/build-web.mjs). */
import '../styles.css';
import { startApp } from './ui/app.js';

// Run from a microtask, right after the bundle's evaluation: with DevTools or automation attached
// (the browser benchmarks, the e2e tests), Chromium records the JS stack of each new WebSocket, and
// V8 then re-parses every function on that stack for source positions. Called from here, the
// stack would hold the bundle's top level, i.e. the whole script (measured 40-80 ms per page load
// on a loaded 2-core machine); from a microtask only small functions. Without DevTools this costs
// nothing.
queueMicrotask(() => startApp(document.getElementById('app')!));
