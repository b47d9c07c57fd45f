/** The Node-RED-free core of node-red-contrib-utmos-dji. */
export * from './signer';
export * from './errors';
export * from './schemas';
export * from './plain-data';
export * from './status';
export * from './client';
export * from './tracker';
export * from './request-feed';
export * from './event-stream';
export * from './proxy';
export * from './connection';
export * from './catalogue';
export * from './dji-result-codes';
export * from './text';
