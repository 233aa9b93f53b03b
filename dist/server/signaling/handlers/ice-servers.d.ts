import type { Handler } from '../context.js';
export declare const iceServers: Handler<unknown>;
