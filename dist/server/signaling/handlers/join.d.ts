import { type JoinRequest } from '../../protocol/index.js';
import { type Handler } from '../context.js';
export declare const join: Handler<JoinRequest>;
