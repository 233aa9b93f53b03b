export const roomKey = (room) => `room:${room}`;
export const peerKey = (peerId) => `peer:${peerId}`;
//# sourceMappingURL=context.js.map