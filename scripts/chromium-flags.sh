# Sourced: CHROMIUM_FLAGS, the array of flags in scripts/chromium-flags.json,
# and write_webdriver_json, which writes webdriver.json (read by
# wasm-bindgen-test-runner) from the same list.
mapfile -t CHROMIUM_FLAGS < <(node -e 'for (const a of require(process.argv[1]).args) console.log(a)' "$root/scripts/chromium-flags.json")
write_webdriver_json() {
  node -e '
    const args = require(process.argv[1]).args;
    const out = { "goog:chromeOptions": { binary: process.env.CHROMIUM || "/usr/bin/chromium", args } };
    require("fs").writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + "\n");
  ' "$root/scripts/chromium-flags.json" "$root/webdriver.json"
}
