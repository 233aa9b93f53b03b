/**
 * DOM-style events for the werift adapter (werift-rtc.ts): `on<type>` attributes that behave as
 * the DOM's do, and the error event the W3C API dispatches.
 */

type Handler = ((this: EventTarget, ev: Event) => unknown) | null;
/** `on<type>` attributes for the events of `M`. */
export type EventHandlers<T, M> = { [K in keyof M & string as `on${K}`]: ((this: T, ev: M[K]) => unknown) | null };
const handlerSlots = new WeakMap<EventTarget, Map<string, { fn: Handler }>>();

/**
 * `on<type>` attributes on a prototype, as the DOM has them: the handler is a listener added when
 * the attribute is first set (so it runs in that order among the listeners); null silences it.
 */
export function defineEventHandlers<M>(proto: EventTarget, types: Record<keyof M & string, true>): void {
  for (const type of Object.keys(types)) {
    Object.defineProperty(proto, `on${type}`, {
      configurable: true,
      enumerable: true,
      get(this: EventTarget): Handler {
        return handlerSlots.get(this)?.get(type)?.fn ?? null;
      },
      set(this: EventTarget, fn: unknown) {
        let slots = handlerSlots.get(this);
        if (!slots) handlerSlots.set(this, (slots = new Map()));
        let slot = slots.get(type);
        if (!slot) {
          const created: { fn: Handler } = (slot = { fn: null });
          slots.set(type, created);
          this.addEventListener(type, (ev) => void created.fn?.call(this, ev));
        }
        slot.fn = typeof fn === 'function' ? (fn as Handler) : null;
      },
    });
  }
}

export class RTCErrorEvent extends Event {
  constructor(
    type: string,
    readonly error: Error,
  ) {
    super(type);
  }
}

