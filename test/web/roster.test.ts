import { describe, expect, it } from 'vitest';
import { type KnownPeer, type LinkView, offerAction, planJoin } from '../../web/src/core/roster.js';

const link = (o: Partial<LinkView> = {}): LinkView => ({ live: true, healthy: true, initiator: true, remoteSession: '1', ...o });
const known = (entries: Record<string, KnownPeer>) => new Map(Object.entries(entries));

describe('roster rules', () => {
  it('first join: initiate to everyone listed', () => {
    expect(planJoin('me', [{ id: 'a', name: '' }, { id: 'b', name: '' }], known({}))).toEqual({ initiate: ['a', 'b'], forget: [] });
  });

  it('rejoin after a restart: keep healthy links, re-initiate dead ones, keep unlisted healthy peers', () => {
    const plan = planJoin('me', [{ id: 'a', name: '' }, { id: 'b', name: '' }, { id: 'me', name: '' }], known({
      a: { link: link(), pending: false }, // still connected: no new offer (no duplicate)
      b: { link: link({ healthy: false }), pending: false }, // failed meanwhile: initiate again
      c: { link: link({ initiator: false }), pending: false }, // not back yet but connected: keep
      d: { link: null, pending: false }, // gone and no connection: forget
    }));
    expect(plan).toEqual({ initiate: ['b'], forget: ['d'] });
  });

  it('does not initiate twice while a link is being created', () => {
    expect(planJoin('me', [{ id: 'a', name: '' }], known({ a: { link: null, pending: true } }))).toEqual({ initiate: [], forget: [] });
  });

  it('offers: renegotiation, replacement, glare', () => {
    expect(offerAction(link({ initiator: false, remoteSession: '5' }), '5', 'me', 'x')).toBe('renegotiate');
    expect(offerAction(link({ initiator: false, remoteSession: '5' }), '6', 'me', 'x')).toBe('replace');
    expect(offerAction(null, '6', 'me', 'x')).toBe('replace');
    expect(offerAction(link({ live: false, remoteSession: '5' }), '5', 'me', 'x')).toBe('replace');
    // Both offered: the lower id keeps initiating, the higher yields.
    expect(offerAction(link({ remoteSession: null }), '7', 'aaa', 'bbb')).toBe('ignore');
    expect(offerAction(link({ remoteSession: null }), '7', 'bbb', 'aaa')).toBe('replace');
  });
});
