// The actor layer: actors, networks, the nemesis and client histories, compiled to the model vocabulary.
export * from './system.js';
export * from './nemesis.js';
export * from './constants.js';
export * from './consistency.js';
export * from './register.js';
export * from './failure-detector.js';
