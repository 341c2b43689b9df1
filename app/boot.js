// Starts the app. Trunk would inline this as a <script type="module"> whose text changes with every
// build (it names the hashed files), which a Content-Security-Policy could only allow with
// 'unsafe-inline' or a per-build hash. As a file it is covered by script-src 'self'.
// The tag that loads this module (see Trunk.toml's pattern_script) names the hashed files.
// Every Content-Security-Policy violation is said in the console and kept in a list, so a person
// at the console and the browser tests see what the policy blocked (there should be nothing).
window.gatehouseCspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || "?"}:${e.lineNumber})`;
  window.gatehouseCspViolations.push(what);
  console.error(`Content-Security-Policy: ${what}`);
});
const tag = document.querySelector("script[data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
