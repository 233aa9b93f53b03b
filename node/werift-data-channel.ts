/**
 * The werift adapter's RTCDataChannel (werift-rtc.ts): werift's channel behind the W3C shape
 * simple-peer expects (binaryType, bufferedAmount and its low threshold, send of strings and bytes).
 */
import * as werift from 'werift';
import { defineEventHandlers, RTCErrorEvent, type EventHandlers } from './werift-events.js';


interface DataChannelEvents {
  open: Event;
  message: MessageEvent;
  bufferedamountlow: Event;
  error: RTCErrorEvent;
  closing: Event;
  close: Event;
}

export interface WeriftRTCDataChannel extends EventHandlers<WeriftRTCDataChannel, DataChannelEvents> {}

export class WeriftRTCDataChannel extends EventTarget {
  readonly #dc: werift.RTCDataChannel;
  #binaryType: BinaryType = 'arraybuffer';

  /** @internal Made by the adapter around werift's channel. */
  constructor(dc: werift.RTCDataChannel) {
    super();
    this.#dc = dc;
    dc.stateChanged.subscribe((state) => {
      if (state === 'open') this.dispatchEvent(new Event('open'));
      else if (state === 'closing') this.dispatchEvent(new Event('closing'));
      else if (state === 'closed') this.dispatchEvent(new Event('close'));
    });
    dc.onMessage.subscribe((msg) => {
      let data: string | ArrayBuffer | Blob;
      if (typeof msg === 'string') data = msg;
      else if (this.#binaryType === 'blob') data = new Blob([msg as Uint8Array<ArrayBuffer>]); // Blob copies
      else data = msg.buffer.slice(msg.byteOffset, msg.byteOffset + msg.byteLength) as ArrayBuffer; // its own copy
      this.dispatchEvent(new MessageEvent('message', { data }));
    });
    dc.error.subscribe((err) => this.dispatchEvent(new RTCErrorEvent('error', err instanceof Error ? err : new Error(String(err)))));
    dc.bufferedAmountLow.subscribe(() => this.dispatchEvent(new Event('bufferedamountlow')));
  }

  get label(): string {
    return this.#dc.label;
  }
  get ordered(): boolean {
    return this.#dc.ordered;
  }
  get maxPacketLifeTime(): number | null {
    return this.#dc.maxPacketLifeTime;
  }
  get maxRetransmits(): number | null {
    return this.#dc.maxRetransmits;
  }
  get protocol(): string {
    return this.#dc.protocol;
  }
  get negotiated(): boolean {
    return this.#dc.negotiated;
  }
  get id(): number | null {
    return this.#dc.id ?? null;
  }
  get readyState(): RTCDataChannelState {
    return this.#dc.readyState;
  }
  get bufferedAmount(): number {
    return this.#dc.bufferedAmount;
  }
  get bufferedAmountLowThreshold(): number {
    return this.#dc.bufferedAmountLowThreshold;
  }
  set bufferedAmountLowThreshold(value: number) {
    this.#dc.bufferedAmountLowThreshold = value;
  }
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value === 'arraybuffer' || value === 'blob') this.#binaryType = value;
  }

  /** A string, ArrayBuffer or ArrayBufferView; the bytes are copied before this returns. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.#dc.readyState !== 'open') throw new DOMException(`the data channel is ${this.#dc.readyState}`, 'InvalidStateError');
    if (typeof data === 'string') this.#dc.send(data);
    else if (data instanceof ArrayBuffer) this.#dc.send(Buffer.from(new Uint8Array(data)));
    else if (ArrayBuffer.isView(data)) this.#dc.send(Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    else throw new TypeError('RTCDataChannel.send() takes a string, an ArrayBuffer or an ArrayBufferView (a Blob is not supported)');
  }

  close(): void {
    if (this.#dc.readyState === 'closing' || this.#dc.readyState === 'closed') return;
    this.#dc.close();
  }
}
defineEventHandlers<DataChannelEvents>(WeriftRTCDataChannel.prototype, { open: true, message: true, bufferedamountlow: true, error: true, closing: true, close: true });
