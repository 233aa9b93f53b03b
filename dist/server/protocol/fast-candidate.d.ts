import { type SignalRequest } from './schemas.js';
/** True only for `{ to, data: { type: 'candidate', candidate: {...} } }` that `signalRequest` accepts. */
export declare function isPlainCandidateSignal(v: unknown): v is SignalRequest;
