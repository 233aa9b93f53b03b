/** A plain JSON object (what socket.io's parser produces), not an array, a Date or a class instance. */
export function isPlainObject(v) {
    return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
//# sourceMappingURL=plain-object.js.map