// Prints the size of each file the SPA downloads first (raw, gzip, brotli), as a CDN would serve them.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "app/dist";
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const name of readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f)).sort()) {
  const data = readFileSync(`${dir}/${name}`);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`  ${name.padEnd(44)} ${kb(data.length).padStart(10)} raw ${kb(gz).padStart(10)} gzip ${kb(br).padStart(10)} brotli`);
}
