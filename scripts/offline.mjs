// Trunk post-build step (run by csp.mjs, after the page's policy is in
// index.html): fills in the service worker's list of files and its version.
//
// FILES is every file of the staged bundle — the page, its hashed module and
// style, the worker's loader, glue and module, the data sets, the manifest
// and icons — as paths relative to sw.js ('./' for the page itself), so the
// lab works from any folder. VERSION is a hash of all their contents: a new
// build is a new service worker, which the browser installs beside the old
// one and switches to on the next visit.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
const sw = join(dir, 'sw.js');
const files = [];
(function walk(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    // Not the precompressed copies (compress.mjs): a host serves them in the files' place.
    else if (path !== sw && !/\.(md|br|gz)$/.test(entry.name)) files.push(relative(dir, path).split(sep).join('/'));
  }
})(dir);
files.sort();
const hash = createHash('sha256');
for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dir, file)));
const version = hash.digest('hex').slice(0, 16);
const urls = files.map((f) => (f === 'index.html' ? './' : `./${f}`));
const source = readFileSync(sw, 'utf8');
if (!source.includes("'__VERSION__'") || !source.includes('__FILES__')) {
  console.error('offline.mjs: sw.js has no __VERSION__ and __FILES__ to fill in');
  process.exit(1);
}
writeFileSync(sw, source.replace("'__VERSION__'", `'${version}'`).replace('__FILES__', JSON.stringify(urls, null, 2)));
console.log(`offline.mjs: the service worker caches ${urls.length} files (version ${version})`);
// Then each file compressed beside it, for hosts that serve those.
await import('./compress.mjs');
