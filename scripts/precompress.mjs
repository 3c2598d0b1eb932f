// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside
// every text or wasm file of a build, so a server sends them as they are
// instead of compressing on every request (nginx: brotli_static and
// gzip_static; Caddy: file_server precompressed; the simulator does the same).
//
//   node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/precompress.mjs DIR");
const wanted = /\.(wasm|js|css|html|svg|json)$/;
let count = 0;
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!statSync(path).isFile()) continue;
  // Copies of files that are gone (an older build) go too.
  if (/\.(br|gz)$/.test(name)) {
    try { statSync(path.replace(/\.(br|gz)$/, "")); } catch { rmSync(path); }
    continue;
  }
  if (!wanted.test(name)) continue;
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [zc.BROTLI_PARAM_QUALITY]: 11,
      [zc.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [zc.BROTLI_PARAM_MODE]: name.endsWith(".wasm") ? zc.BROTLI_MODE_GENERIC : zc.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  // A copy that is not smaller is not worth sending.
  for (const [ext, data] of [["br", br], ["gz", gz]]) {
    if (data.length < raw.length) { writeFileSync(`${path}.${ext}`, data); count++; }
    else rmSync(`${path}.${ext}`, { force: true });
  }
}
console.log(`precompress: ${count} compressed copies in ${dir}`);
