/**
 * Every error code of the closed set is reachable, with the documented shape. Codes that need a
 * faulty backend (unavailable, internal) use an injected registry, as a cluster's Redis outage or a
 * bug would produce them.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../server/protocol/index.js';
import { MemoryRegistry, RegistryUnavailableError } from '../../server/signaling/registry.js';
import { join, next, request, startServer } from './harness.js';

class FaultyRegistry extends MemoryRegistry {
  constructor(private readonly fault: () => Error) {
    super();
  }
  override async join(): Promise<never> {
    throw this.fault();
  }
}

describe('error codes', () => {
  it('unavailable when the room registry is unreachable', async () => {
    const srv = await startServer({}, { registry: new FaultyRegistry(() => new RegistryUnavailableError()) });
    const a = await srv.client();
    expect(await request(a, 'join', { room: 'r' })).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
  });

  it('internal when a handler fails unexpectedly; the server keeps serving', async () => {
    const srv = await startServer({}, { registry: new FaultyRegistry(() => new Error('boom')) });
    const a = await srv.client();
    expect(await request(a, 'join', { room: 'r' })).toEqual({ ok: false, error: { code: 'internal', message: 'internal server error' } });
    expect(await request(a, 'ice-servers', {})).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
  });

  it('unknown events, missing acks and extra arguments are bad-request', async () => {
    const srv = await startServer();
    const a = await srv.client();
    expect(await request(a, 'launch-missiles', {})).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'unknown event "launch-missiles"' } });
    const err = next(a, 'protocol-error');
    (a as unknown as { emit(ev: string, p: unknown): void }).emit('join', { room: 'r' });
    expect(await err).toEqual({ event: 'join', code: 'bad-request', message: '"join" needs an acknowledgement callback' });
    expect(await request(a, 'join', { room: 'r' }, 'extra')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await request(a, 'join', { room: 'r', admin: true })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('every code in the closed set is covered by a test', async () => {
    // The other tests assert each code where it arises; this list keeps the set and the tests in step.
    const covered = ['bad-request', 'room-full', 'not-in-room', 'unknown-peer', 'rate-limited', 'unauthorized', 'too-large', 'unavailable', 'not-found', 'internal'];
    expect([...ERROR_CODES].sort()).toEqual(covered.sort());
    const srv = await startServer();
    const res = await fetch(`${srv.url}/api/does-not-exist`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'no such API route' } });
    const bad = await fetch(`${srv.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad-request' } });
    const a = await srv.client();
    await join(a, 'ok');
  });
});
