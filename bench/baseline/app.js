// The floor for the panel's start-up: the same two tasks (connect, one policy
// submission) by hand with plain fetch and the DOM, no framework, no build.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const app = $("app");
  let api = null; // { base, headers, credentials }
  let me = null;

  async function call(method, path, body) {
    const headers = { Accept: "application/json", ...api.headers };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(`${api.base}/api/2.0/${path}`, {
      method, headers, credentials: api.credentials,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json().catch(() => null);
    if (!r.ok || !json) throw new Error((json && json.error && json.error.message) || `HTTP ${r.status}`);
    return json.response;
  }

  const el = (tag, props = {}, ...children) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...children);
    return e;
  };

  async function connect(base, headers, credentials) {
    api = { base, headers, credentials };
    me = await call("GET", "people/@self");
    performance.mark("tfa-panel:connected");
    showPolicy(await call("GET", "settings/tfaapp"));
  }

  function showPolicy(methods) {
    const current = methods.find((m) => m.enabled) || { id: "none" };
    const app2 = methods.find((m) => m.id === "app") || {};
    const ips = el("textarea", { id: "ips", rows: 4, value: (current.trustedIps || []).join("\n") });
    const radio = el("input", { type: "radio", name: "m", checked: current.id === "app", disabled: !app2.available });
    radio.dataset.testid = "method-app";
    const submit = el("button", { type: "submit", textContent: "Send for confirmation" });
    submit.dataset.testid = "policy-submit";
    const error = el("p", { role: "alert" });
    const form = el("form", { noValidate: true },
      el("h1", { textContent: "TFA policy" }),
      el("label", {}, radio, " Authenticator app"),
      el("label", { htmlFor: "ips", textContent: "Trusted IP addresses, one a line" }), ips,
      error, submit);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      error.textContent = "";
      try {
        const trustedIps = ips.value.split(/[\s,]+/).filter(Boolean);
        const link = await call("PUT", "settings/tfaappwithlink", { type: "App", id: me.id, trustedIps });
        const back = el("button", { type: "button", textContent: "Back to the policy" });
        back.onclick = () => app.replaceChildren(form);
        const result = el("section", {}, el("h2", { textContent: "Check your email" }),
          el("p", { textContent: `A confirmation link was sent to ${me.email}.` }),
          el("input", { readOnly: true, value: String(link) }), back);
        result.dataset.testid = "result";
        app.replaceChildren(result);
        performance.mark("tfa-panel:result");
      } catch (e) {
        error.textContent = e.message;
      } finally {
        submit.disabled = false;
      }
    });
    app.replaceChildren(form);
    performance.mark("tfa-panel:form-ready");
  }

  const button = document.querySelector("[data-testid=connect]");
  $("connect-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const base = $("portal").value.trim().replace(/\/+$/, "");
    button.disabled = true;
    try {
      await connect(base, { Authorization: `Bearer ${$("token").value.trim()}` }, "omit");
    } catch (e) {
      $("connect-error").textContent = `Could not connect: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
  // Served from the portal: its session cookie signs us in, as the panel does.
  connect(location.origin, {}, "same-origin").catch(() => {
    button.disabled = false;
    button.textContent = "Connect";
  });
})();
