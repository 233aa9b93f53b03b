export {};
//# sourceMappingURL=room-types.js.map