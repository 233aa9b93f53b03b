/**
 * The protocol's version: one number for the signaling protocol and the data-channel protocol
 * (docs/protocol.md describes both as one protocol). A client sends it in `join` (`protocol`), the
 * server answers with its own in the ack, and each peer sends it in its data-channel `hello` (`v`),
 * so two sides of different versions can tell.
 *
 * It changes only for a change an older peer would get wrong (a field's meaning, a removed
 * message). Additions an older peer can ignore or report (a new optional field, a new message
 * kind) keep it. A join or hello without it is version 1, the protocol as it was before it was
 * versioned.
 */
export const PROTOCOL_VERSION = 1;

/** The versions this server accepts in `join`. */
export const PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION];
