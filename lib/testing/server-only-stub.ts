// Vitest runs outside React's server graph, where `server-only` would throw on import.
export {};
