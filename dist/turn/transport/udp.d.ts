/** The client-facing UDP listener (RFC 8656 section 3.1: UDP on the TURN port). */
import type dgram from 'node:dgram';
import type { Dispatcher } from '../server/dispatcher.js';
export declare function listenUdp(ip: string, port: number, bufferSize: number, dispatcher: Dispatcher): Promise<dgram.Socket>;
