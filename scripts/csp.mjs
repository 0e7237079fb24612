// Trunk post-build hook: gives the built index.html its Content-Security-Policy.
//
// The page talks to no one else: scripts, styles, the workers, the wasm
// modules and the data files all come from the page's own origin. Trunk
// injects one inline module script (it loads the app's module, whose file
// name carries a content hash) and index.html has one of its own (it starts
// the training worker early), so the policy allows exactly those scripts by
// their SHA-256 — computed here from the built file, never by hand — and no
// other inline script. `wasm-unsafe-eval` lets WebAssembly compile; nothing
// may `eval`. Yew sets `style` attributes (colour swatches), hence
// `style-src-attr 'unsafe-inline'`; style sheets come from the origin only.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp.mjs: run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
if (!html.includes('<meta charset="utf-8">')) {
  console.error('csp.mjs: index.html has no <meta charset="utf-8"> to put the policy after');
  process.exit(1);
}
writeFileSync(file, html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n    ${meta}`));
console.log(`csp.mjs: Content-Security-Policy with ${hashes.length} inline script hash(es)`);
// Then the service worker's file list, which hashes the final index.html.
await import('./offline.mjs');
