// A static file server for the release bundle, on an ephemeral loopback port;
// like a host with `brotli_static`/`gzip_static`, it sends a file's `.br` or
// `.gz` copy when the browser accepts that encoding.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Serves `dir`. `options.link` ({ latencyMs, bytesPerSecond }) sends every
 * response through one emulated link — each waits the latency, then all
 * share the bandwidth, in order — and `options.sent(path, bytes, asked, done)`
 * is told what each response carried, when it was asked for and when its
 * last byte went (ms, `performance.now()`); `options.refuse(path)` true
 * answers that request 503, as a failing link or host would.
 */
export async function startServer(dir, options = {}) {
  const root = resolve(dir);
  let free = 0; // when the emulated link is next free (ms, performance.now())
  const send = async (res, path, headers, body) => {
    const asked = performance.now();
    if (!options.link) {
      res.writeHead(200, headers);
      res.end(body);
      options.sent?.(path, body.length, asked, performance.now());
      return;
    }
    const { latencyMs, bytesPerSecond } = options.link;
    await new Promise((ok) => setTimeout(ok, latencyMs));
    res.writeHead(200, headers);
    for (let at = 0; at < body.length; at += 16384) {
      const chunk = body.subarray(at, at + 16384);
      free = Math.max(free, performance.now()) + (chunk.length / bytesPerSecond) * 1000;
      await new Promise((ok) => setTimeout(ok, free - performance.now()));
      res.write(chunk);
    }
    res.end();
    options.sent?.(path, body.length, asked, performance.now());
  };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    // A folder's page is its index.html, as on any static host.
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (options.refuse?.(path)) {
      res.writeHead(503).end('refused by the test');
      return;
    }
    try {
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      // As a host serving the bundle's precompressed copies (scripts/compress.mjs) does.
      const accepts = req.headers['accept-encoding'] ?? '';
      for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
        if (!accepts.includes(encoding)) continue;
        const packed = await readFile(`${file}${suffix}`).catch(() => null);
        if (packed) {
          await send(res, path, { 'content-type': type, 'content-encoding': encoding, vary: 'accept-encoding' }, packed);
          return;
        }
      }
      await send(res, path, { 'content-type': type }, await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}
