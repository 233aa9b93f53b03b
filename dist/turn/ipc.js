export {};
//# sourceMappingURL=ipc.js.map