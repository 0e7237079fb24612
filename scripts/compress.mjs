// Trunk post-build step (run by offline.mjs, once every file is final):
// writes each text or wasm file of the staged bundle compressed beside it,
// `X.br` (Brotli, quality 11) and `X.gz` (gzip, level 9), for hosts that
// serve a precompressed file when the browser accepts it (nginx's
// `gzip_static` / `brotli_static`, Caddy's `precompressed`, most CDNs);
// a host that does not just ignores them. The service worker's list
// (offline.mjs) names the files themselves, never these.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
const COMPRESSIBLE = /\.(wasm|js|css|html|csv|svg|webmanifest)$/;
let raw = 0;
let br = 0;
(function walk(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (COMPRESSIBLE.test(entry.name)) {
      const bytes = readFileSync(path);
      const brotli = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      });
      writeFileSync(`${path}.br`, brotli);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      raw += bytes.length;
      br += brotli.length;
    }
  }
})(dir);
console.log(`compress.mjs: ${(raw / 1024).toFixed(0)} KB of files, ${(br / 1024).toFixed(0)} KB as Brotli (.br and .gz beside each)`);
