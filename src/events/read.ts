// Moved to util/read-json.ts: these readers serve every layer that reads GroupMe's JSON, not
// only events. Kept until the REST layer's imports point there; then delete this file.
export * from '../util/read-json.js';
