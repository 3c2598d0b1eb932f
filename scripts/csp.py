#!/usr/bin/env python3
"""Trunk post-build hook: make index.html work under a strict Content-Security-Policy.

Trunk writes its wasm loader as an inline <script type="module">. A CSP without
'unsafe-inline' would block it, so the loader moves into a hashed file next to
the other assets (loaded with an integrity hash) and the policy is added as a
<meta> tag. The glue JS is minified (terser) and its integrity hash updated.
Runs on Trunk's staging directory (TRUNK_STAGING_DIR).
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import i18n  # noqa: E402  (scripts/i18n.py)

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    # The panel calls the portal the administrator names: https anywhere, http only on loopback.
    "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
    "base-uri 'none'",
    "form-action 'none'",
])

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rust_constant(path: str, name: str) -> str:
    """The text of `const NAME: ... = <value>;` in a Rust source file: the
    paths and keys the loader uses live in the panel's code, once."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        m = re.search(r"const " + name + r": [^=]+= (.+?);", f.read(), re.S)
    if not m:
        raise SystemExit(f"csp.py: {path} has no constant {name}")
    return m.group(1).strip()


def early_paths() -> list:
    """`api::session::EARLY_GETS`, resolved through `api`'s path constants."""
    names = re.findall(r"[A-Z_]+", rust_constant("src/api/session.rs", "EARLY_GETS"))
    return [json.loads(rust_constant("src/api/mod.rs", n)) for n in names]


SESSION_KEY = json.loads(rust_constant("src/web.rs", "SESSION_KEY"))
API_ROOT = json.loads(rust_constant("src/api/mod.rs", "API_ROOT"))
EARLY_PATHS = early_paths()

# Sent before the panel's code arrives when the panel may be served by the
# portal itself: no connection remembered for this tab and no preset naming
# another portal. The panel adopts these answers instead of asking again
# (src/api/session.rs), and discards them otherwise. The conditions mirror
# `web::preset_portal`, `web::remembered` and `ConnectState::start`.
EARLY_REQUESTS = """\
(() => {
  try {
    if (!/^https?:$/.test(location.protocol) || sessionStorage.getItem(__SESSION_KEY__)) return;
    const mount = document.getElementById("tfa-panel");
    const meta = document.querySelector("meta[name=docspace-portal]");
    const preset = ((mount && mount.getAttribute("data-portal")) || (meta && meta.getAttribute("content"))
      || new URLSearchParams(location.search).get("portal") || "").trim().replace(/\\/+$/, "");
    if (preset && preset !== "same-origin" && preset !== location.origin) return;
    // Each answer is read to the end here, [status, body]: the panel then has
    // it within the task it starts in, with no rendering frame in between.
    const get = (path) => fetch(`${location.origin}__API_ROOT__${path}`, {
      headers: { Accept: "application/json" }, credentials: "same-origin", signal: AbortSignal.timeout(15000),
    }).then((r) => r.text().then((body) => [r.status, body]));
    window.__tfaPrefetch = Object.fromEntries(__EARLY_PATHS__.map((p) => [p, get(p)]));
  } catch (_) { /* the panel asks itself */ }
})();
"""


def early_preloads() -> str:
    """`<link rel="preload" as="fetch">` for each early request, ahead of the
    loader: the browser sends them while it reads the page, before the loader
    runs, and the loader's `fetch` of the same address (same mode, same
    credentials) takes the preloaded answer instead of asking again. Same-run
    A/B (bench/README.md): 0.96× and 0.95× the start-up time of the build
    without them, which took 1.07× and 1.06× this one's. The page cannot know the
    loader's conditions yet, so the three requests go out on every load of
    index.html; when the loader then skips them (a connection remembered for
    the tab, a preset naming another portal) they go unused (README,
    "Deploying")."""
    return "".join('<link rel="preload" href="%s%s" as="fetch" crossorigin="anonymous">\n    ' % (API_ROOT, p)
                   for p in EARLY_PATHS)


# The compiled module, once the early answers are in as well (they usually
# are by then; at most EARLY_WAIT_MS later). Started with its answers at hand,
# the panel builds its first page in the task it starts in: a frame of the
# "Connecting…" screen in between, laid out and painted, would come first.
EARLY_WAIT_MS = 250
EARLY_WAIT = """\
const compiled = async () => {
  const module = await compiling;
  const early = window.__tfaPrefetch;
  if (early) await Promise.race([Promise.allSettled(Object.values(early)), new Promise((r) => setTimeout(r, %d))]);
  return module;
};
""" % EARLY_WAIT_MS

# The second module ("Who is protected", the history; src/tasks): fetched
# and started the first time the panel shows one of them. The panel calls
# this; a failed try can be tried again.
TASKS_LOADER = """\
window.__tfaLoadTasks = () => (window.__tfaTasks ??= import(__TASKS_JS__).then(async (tasks) => {
  const wasm = await tasks.default({ module_or_path: __TASKS_WASM__ });
  dispatchEvent(new CustomEvent("TfaTasksStarted", { detail: { wasm } }));
  return tasks;
}).catch((e) => { window.__tfaTasks = undefined; throw e; }));
"""


def tasks_loader(js: str, wasm: str) -> str:
    """The page's `__tfaLoadTasks`, for the module's files next to it."""
    return (TASKS_LOADER.replace("__TASKS_JS__", json.dumps("./" + js))
            .replace("__TASKS_WASM__", "new URL(%s, import.meta.url)" % json.dumps("./" + wasm)))


def hash_tasks(stage: str) -> tuple:
    """Trunk names the second module by its binary, unhashed
    (`tfa-tasks.js`, `tfa-tasks_bg.wasm`): minify its glue and give both
    files hashed names, as Trunk does for the panel's, so a server can cache
    them for a year."""
    names = []
    for plain, suffix in (("tfa-tasks_bg.wasm", "_bg.wasm"), ("tfa-tasks.js", ".js")):
        path = os.path.join(stage, plain)
        if not os.path.exists(path):
            raise SystemExit("csp.py: Trunk did not build the second module (%s)" % plain)
        if plain.endswith(".js"):
            terser_file(path)
        data = open(path, "rb").read()
        name = "tfa-tasks-%s%s" % (hashlib.sha256(data).hexdigest()[:16], suffix)
        os.replace(path, os.path.join(stage, name))
        names.append(name)
    wasm, js = names
    return js, wasm


def early_requests(loader: str, tasks: str) -> str:
    """Puts the early requests first. A static import would run nothing before
    the panel's code has arrived, so the loader imports it dynamically."""
    m = re.match(r"import init, \* as bindings from '([^']+)';\s*", loader)
    if not m:
        raise SystemExit("csp.py: Trunk's loader changed: no `import init, * as bindings from ...` line")
    rest = loader[m.end():]
    # Compile the wasm while it downloads, from the start of the download:
    # init() would begin only once the glue module has loaded.
    w = re.search(r"module_or_path: '([^']+)'", rest)
    if not w:
        raise SystemExit("csp.py: Trunk's loader changed: no `module_or_path: '...'`")
    rest = rest.replace(w.group(0), "module_or_path: await compiled()", 1)
    early = (EARLY_REQUESTS.replace("__SESSION_KEY__", json.dumps(SESSION_KEY))
             .replace("__EARLY_PATHS__", json.dumps(EARLY_PATHS))
             .replace("__API_ROOT__", API_ROOT))
    return (early
            + tasks
            + "const compiling = WebAssembly.compileStreaming(fetch('%s'));\n" % w.group(1)
            + EARLY_WAIT
            + "const bindings = await import('%s');\nconst init = bindings.default;\n" % m.group(1)
            + rest)

# The stable entry: `<script type="module" src=".../tfa-panel.js">` and a
# `<docspace-tfa-panel>` element. Unhashed (cache it briefly); it names the
# hashed files, resolved against its own URL, so a host page never changes.
ENTRY = """\
// DocSpace TFA panel: the stable entry (see the README, "Deploying").
// Defines <docspace-tfa-panel portal="…" lang="…">, which renders the panel in
// its own shadow root: the panel's CSS stays inside, the page's CSS stays out.
globalThis.__tfaPanelEmbedded = true;
const FILES = __FILES__;
const url = (file) => new URL(file, import.meta.url).href;
let loading;
const load = () => (loading ??= import(url(FILES.js)).then(async (bindings) => {
  await bindings.default({ module_or_path: url(FILES.wasm) });
  return bindings;
}));
// The second module ("Who is protected", the history), when first opened.
globalThis.__tfaLoadTasks = () => (globalThis.__tfaTasks ??= import(url(FILES.tasks.js)).then(async (tasks) => {
  await tasks.default({ module_or_path: url(FILES.tasks.wasm) });
  return tasks;
}).catch((e) => { globalThis.__tfaTasks = undefined; throw e; }));

class DocSpaceTfaPanel extends HTMLElement {
  static observedAttributes = ["portal", "lang"];
  #panel = null;

  connectedCallback() {
    if (this.shadowRoot) return; // moved within the page: already mounted
    if (document.querySelector("docspace-tfa-panel") !== this) {
      console.error("docspace-tfa-panel: one panel per page; this one stays empty");
      return;
    }
    const root = this.attachShadow({ mode: "open" });
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = url(FILES.css);
    const panel = document.createElement("div");
    panel.className = "tfa-root";
    panel.dataset.tfaI18n = FILES.catalogues.map(([tag, file]) => `${tag}=${url(file)}`).join(" ");
    // A page that sets its own color-scheme is followed; otherwise the user's preference.
    const scheme = getComputedStyle(this).colorScheme;
    if (scheme && scheme !== "normal") panel.classList.add("tfa-follow-host");
    root.append(css, panel);
    // Mount once the stylesheet is in: no unstyled flash.
    const styled = new Promise((done) => { css.onload = css.onerror = done; });
    Promise.all([load(), styled]).then(([bindings]) => {
      bindings.mountElement(this, panel);
      this.#panel = bindings;
    }).catch((e) => console.error("docspace-tfa-panel: the panel could not start", e));
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#panel || old === value) return;
    if (name === "lang") this.#panel.setLanguage(value ?? "");
    if (name === "portal") this.#panel.setPortal(value ?? "");
  }
}

if (!customElements.get("docspace-tfa-panel")) customElements.define("docspace-tfa-panel", DocSpaceTfaPanel);
"""


def write_entry(stage: str, loader: str, html: str, catalogues: str, tasks: tuple) -> None:
    """Writes tfa-panel.js from the hashed names Trunk chose."""
    js = re.search(r"import init, \* as bindings from '\./([^']+)'", loader)
    wasm = re.search(r"module_or_path: '\./([^']+)'", loader)
    css = re.search(r'<link rel="stylesheet" href="\./([^"]+\.css)"', html)
    if not (js and wasm and css):
        raise SystemExit("csp.py: cannot find the glue, wasm and CSS names for tfa-panel.js")
    files = {
        "js": "./" + js.group(1),
        "wasm": "./" + wasm.group(1),
        "css": "./" + css.group(1),
        "catalogues": [p.split("=", 1) for p in catalogues.split()],
        "tasks": {"js": "./" + tasks[0], "wasm": "./" + tasks[1]},
    }
    with open(os.path.join(stage, "tfa-panel.js"), "w", encoding="utf-8") as f:
        f.write(ENTRY.replace("__FILES__", json.dumps(files)))


def terser_file(path: str) -> None:
    """Minifies an ES module in place with terser (installed by
    scripts/setup.sh)."""
    root = os.environ.get("TRUNK_SOURCE_DIR") or os.getcwd()
    terser = os.path.join(root, ".tools", "node_modules", ".bin", "terser")
    subprocess.run([terser, path, "--module", "--compress", "--mangle", "--output", path], check=True)


def minify_glue(stage: str, loader: str, html: str) -> str:
    """Minifies wasm-bindgen's glue JS in place (terser, installed by
    scripts/setup.sh) and updates its integrity hash in the page: about
    2 kB less gzip. Trunk's own minifier breaks this glue."""
    js = re.search(r"import init, \* as bindings from '\./([^']+)'", loader)
    if not js:
        raise SystemExit("csp.py: cannot find the glue JS in Trunk's loader")
    name = js.group(1)
    path = os.path.join(stage, name)
    terser_file(path)
    data = open(path, "rb").read()
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    link = re.compile(r'(<link rel="modulepreload" href="\./%s"[^>]*? integrity=")[^"]*(")' % re.escape(name))
    html, n = link.subn(lambda m: m.group(1) + sri + m.group(2), html)
    if n != 1:
        raise SystemExit("csp.py: cannot find the glue's modulepreload link to update its hash")
    return html


def main() -> int:
    stage = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
    path = os.path.join(stage, "index.html")
    html = open(path, encoding="utf-8").read()
    match = re.search(r'<script type="module">(.*?)</script>', html, re.S)
    if not match:
        print("csp.py: no inline loader found (already processed?)", file=sys.stderr)
        return 0 if "Content-Security-Policy" in html else 1
    trunk_loader = match.group(1).strip()
    html = minify_glue(stage, trunk_loader, html)
    tasks = hash_tasks(stage)
    loader = early_requests(trunk_loader, tasks_loader(*tasks)) + "\n"
    data = loader.encode("utf-8")
    name = "boot-%s.js" % hashlib.sha256(data).hexdigest()[:16]
    with open(os.path.join(stage, name), "wb") as f:
        f.write(data)
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    tag = early_preloads() + '<script type="module" src="./%s" integrity="%s" crossorigin="anonymous"></script>' % (name, sri)
    html = html[: match.start()] + tag + html[match.end():]
    meta = '<meta http-equiv="Content-Security-Policy" content="%s" />' % CSP
    html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
    # The other languages' catalogues: hashed files, named in a meta tag.
    listed = i18n.write(stage)
    catalogues = '<meta name="tfa-i18n" content="%s" />' % listed
    html = html.replace(meta, meta + "\n    " + catalogues, 1)
    write_entry(stage, trunk_loader, html, listed, tasks)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return 0

if __name__ == "__main__":
    sys.exit(main())
