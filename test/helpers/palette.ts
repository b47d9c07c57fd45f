/**
 * Nodes as the palette makes them: the `defaults` values a node type gets when dragged into a
 * flow, read from its editor file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { ROOT } from './runtime';

/** The `defaults` values a node type gets when dragged from the palette. */
export function paletteDefaults(type: string): Record<string, unknown> {
  const html = fs.readFileSync(path.join(ROOT, 'src', 'nodes', type, `${type}.html`), 'utf8');
  let defaults: Record<string, { value: unknown }> | undefined;
  // Anything the editor code touches besides registerType is inert here.
  const inert: any = new Proxy(function () {}, { get: () => inert, apply: () => inert });
  const RED = { nodes: { registerType: (t: string, def: any) => (t === type ? (defaults = def.defaults) : undefined) }, validators: inert, _: inert, settings: {} };
  const sandbox = vm.createContext({ RED, window: { UtmosDjiEditor: inert }, $: inert, jQuery: inert });
  for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInContext(m[1], sandbox);
  assert.ok(defaults, `${type}.html registers ${type}`);
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, v.value]));
}
