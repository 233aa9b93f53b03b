/** Browser entry point (bundled by scripts/build-web.mjs). */
import '../styles.css';
import { startApp } from './ui/app.js';

startApp(document.getElementById('app')!);
