/**
 * docs/protocol.md's examples pass (or, where the document says so, fail) the schemas in code:
 * the server's zod schemas for signaling, the data channel's decoder for control messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeControl } from '../../web/src/core/framing.js';
import { joinRequest, signalRequest } from '../../server/protocol/schemas.js';
import { REPO_ROOT } from '../support/server.js';

const doc = readFileSync(join(REPO_ROOT, 'docs/protocol.md'), 'utf8');
const examples = [...doc.matchAll(/<!-- check: (join|signal|control)( refused)? -->\n```json\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1]!, refused: !!m[2], text: m[3]! }));

describe('docs/protocol.md', () => {
  it('has checked examples of every kind, accepted and refused', () => {
    for (const kind of ['join', 'signal', 'control']) {
      expect(examples.filter((e) => e.kind === kind && !e.refused).length, kind).toBeGreaterThan(1);
      expect(examples.filter((e) => e.kind === kind && e.refused).length, `${kind} refused`).toBeGreaterThan(0);
    }
  });

  it.each(examples.map((e, i) => [i, e.kind, e.refused ? 'refused' : 'accepted', e] as const))('example %i (%s, %s) is as the document says', (_i, kind, _what, e) => {
    const value: unknown = JSON.parse(e.text);
    const ok =
      kind === 'join' ? joinRequest.safeParse(value).success
      : kind === 'signal' ? signalRequest.safeParse(value).success
      : decodeControl(e.text) !== null;
    expect(ok, e.text).toBe(!e.refused);
    if (kind === 'control' && ok) expect(decodeControl(e.text)).toEqual(value);
    if (kind === 'signal' && ok) expect(signalRequest.parse(value)).toEqual(value); // forwarded as sent
  });
});
