export declare function rendezvousPick<T>(key: string, nodes: readonly T[], id: (n: T) => string): T | undefined;
