/**
 * Type-level checks: the server and a typed client are bound to the same event map, so a renamed
 * event or field breaks `tsc` (run by `npm test`) on both sides.
 */
import type { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { IoServer } from '../../server/signaling/context.js';
import type { ClientToServerEvents, JoinAck, ServerToClientEvents, SignalData, SocketData } from '../../server/protocol/index.js';
import { joinRequest, signalRequest } from '../../server/protocol/index.js';
import type { z } from 'zod';

describe('the typed event map', () => {
  it('is what the server and the client are typed with', () => {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    expectTypeOf<IoServer>().toEqualTypeOf<Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>>();
    type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
    expectTypeOf<Parameters<ClientSocket['emit']>[0]>().toEqualTypeOf<'join' | 'signal' | 'leave' | 'ice-servers'>();
    expectTypeOf<Parameters<ServerToClientEvents['signal']>[0]>().toEqualTypeOf<{ from: string; data: SignalData }>();
    expectTypeOf<Parameters<Parameters<ClientToServerEvents['join']>[1]>[0]>().toEqualTypeOf<JoinAck>();
  });

  it('the runtime schemas take exactly the payload types of the map', () => {
    expectTypeOf<z.input<typeof joinRequest>>().toEqualTypeOf<Parameters<ClientToServerEvents['join']>[0]>();
    expectTypeOf<z.infer<typeof signalRequest>>().toEqualTypeOf<Parameters<ClientToServerEvents['signal']>[0]>();
  });
});
