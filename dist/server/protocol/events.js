export const CLIENT_EVENTS = ['join', 'signal', 'leave', 'ice-servers'];
//# sourceMappingURL=events.js.map