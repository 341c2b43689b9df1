// Starts the app. Trunk would inline this as a <script type="module"> whose text changes with every
// build (it names the hashed files), which a Content-Security-Policy could only allow with
// 'unsafe-inline' or a per-build hash. As a file it is covered by script-src 'self'.
// The tag that loads this module (see Trunk.toml's pattern_script) names the hashed files.
const tag = document.querySelector("script[data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
