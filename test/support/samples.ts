import { readFileSync, readdirSync } from 'node:fs';

/** Real GroupMe payloads, with where each comes from in `test/fixtures/README.md`. */
export const samplesDir = new URL('../fixtures/samples/', import.meta.url);

/** Every sample file name, sorted. */
export const sampleFiles: readonly string[] = readdirSync(samplesDir).filter((f) => f.endsWith('.json')).sort();

/** A sample file as it is. */
export function loadSample(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, samplesDir), 'utf8')) as unknown;
}

/** The push `data` of a sample: some are whole Bayeux envelopes, most are the data alone. */
export function sample(name: string): Record<string, unknown> {
  const json = loadSample(name) as Record<string, unknown>;
  return 'channel' in json && typeof json.data === 'object' ? (json.data as Record<string, unknown>) : json;
}
