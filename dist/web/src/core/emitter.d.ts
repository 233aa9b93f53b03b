export declare class Emitter<E extends {
    [K in keyof E]: unknown[];
}> {
    private readonly handlers;
    on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void;
    protected emit<K extends keyof E>(event: K, ...args: E[K]): void;
}
