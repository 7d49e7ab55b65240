// The one contract between the Flack server and its clients: models, limits, error codes and the
// typed Socket.IO event maps. Plain TypeScript with no runtime dependencies, so the Angular bundle
// can import it without pulling in server code.

export * from './limits.js';
export * from './errors.js';
export * from './models.js';
export * from './events.js';
export * from './mentions.js';
export * from './text.js';
export * from './sync.js';
export * from './emoji.js';
export * from './search.js';
export * from './replies.js';
export * from './files.js';
export * from './sent.js';
