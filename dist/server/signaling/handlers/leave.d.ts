import type { Handler } from '../context.js';
export declare const leave: Handler<unknown>;
