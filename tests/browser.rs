//! Browser tests: the real panel mounted in headless Chromium, talking over
//! real HTTP to the simulators that `scripts/browser-tests.sh` starts (the
//! `seed`, `docspace-3.7` and `docspace-3.6` profiles, with test control). Each test resets
//! its simulator, mounts a fresh panel, and drives it as a user would.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, RequestInit, Response};

use tfa_panel::App;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = match option_env!("TFA_SIM_SEED") {
    Some(url) => url,
    None => "http://127.0.0.1:18181",
};
const V37: &str = match option_env!("TFA_SIM_37") {
    Some(url) => url,
    None => "http://127.0.0.1:18182",
};

const V36: &str = match option_env!("TFA_SIM_36") {
    Some(url) => url,
    None => "http://127.0.0.1:18183",
};

const OWNER_KEY: &str = "sk-demo-owner";
const PRIYA: &str = "8f2c1a9e-0005-4a6e-9c1d-5e7f00000005";

// ---------- harness ----------

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn find(selector: &str) -> Option<Element> {
    document().query_selector(selector).unwrap()
}

fn find_all(selector: &str) -> Vec<Element> {
    let list = document().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// Waits for `selector` to exist (and, if given, to contain `text`).
async fn wait_for(selector: &str, text: Option<&str>) -> Element {
    for _ in 0..400 {
        if let Some(el) = find(selector) {
            let ok = text.is_none_or(|t| el.text_content().unwrap_or_default().contains(t));
            if ok {
                return el;
            }
        }
        sleep(25).await;
    }
    let seen = find(selector).and_then(|e| e.text_content());
    let panel = find("#test-root")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    panic!("timed out waiting for {selector} containing {text:?}; found {seen:?}; the panel shows: {panel}");
}

async fn wait_gone(selector: &str) {
    for _ in 0..400 {
        if find(selector).is_none() {
            return;
        }
        sleep(25).await;
    }
    panic!("{selector} did not go away");
}

fn input(selector: &str) -> HtmlInputElement {
    find(selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

/// Types a value the way the browser reports typing: value, then an input event.
fn type_into(selector: &str, value: &str) {
    let el = input(selector);
    el.set_value(value);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    el.dispatch_event(&event).unwrap();
}

/// Types, then lets the reactive updates settle.
async fn type_in(selector: &str, value: &str) {
    type_into(selector, value);
    sleep(30).await;
}

fn press_enter(selector: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input(selector).dispatch_event(&event).unwrap();
}

/// Clicks, then lets the reactive updates (which run as microtasks) settle.
async fn click(selector: &str) {
    find(selector)
        .unwrap_or_else(|| panic!("no {selector} to click"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    sleep(30).await;
}

fn is_disabled(selector: &str) -> bool {
    find(selector).unwrap().has_attribute("disabled") || {
        let el: HtmlElement = find(selector).unwrap().dyn_into().unwrap();
        js_sys::Reflect::get(&el, &"disabled".into())
            .unwrap()
            .as_bool()
            == Some(true)
    }
}

fn text(selector: &str) -> String {
    find(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// A fresh panel in its own container; unmounted when the guard drops.
struct Mounted {
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
    container: HtmlElement,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.container.remove();
    }
}

fn mount() -> Mounted {
    // Each test starts on the first task, whatever the previous one left in the URL.
    let _ = web_sys::window().unwrap().location().set_hash("");
    if let Some(old) = find("#test-root") {
        old.remove();
    }
    let container: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    container.set_id("test-root");
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), || view! { <App /> }.into_any());
    Mounted {
        _handle: handle,
        container,
    }
}

async fn http(method: &str, url: &str, key: Option<&str>, body: Option<&str>) -> (u16, String) {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().unwrap();
    if let Some(key) = key {
        headers
            .set("Authorization", &format!("Bearer {key}"))
            .unwrap();
    }
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").unwrap();
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let window = web_sys::window().unwrap();
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .unwrap()
        .dyn_into()
        .unwrap();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap();
    (response.status(), text.as_string().unwrap_or_default())
}

async fn control(sim: &str, path: &str, body: &str) -> String {
    let (status, text) = http(
        "POST",
        &format!("{sim}/sim/control/{path}"),
        None,
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "control {path}: {text}");
    text
}

async fn reset(sim: &str) {
    control(sim, "reset", "{}").await;
}

async fn fault(sim: &str, method: &str, path: &str, kind: &str) {
    // Chromium silently resends a request whose reused keep-alive connection
    // was dropped, once per pooled connection: inject enough drops for every
    // attempt (the test clears what is left with `clear_faults`).
    let times = if kind.contains("drop") { 8 } else { 1 };
    let body = format!(
        r#"{{"method":"{method}","path":"/api/2.0/{path}","times":{times},"kind":{kind}}}"#
    );
    control(sim, "fault", &body).await;
}

async fn clear_faults(sim: &str) {
    let (status, _) = http("DELETE", &format!("{sim}/sim/control/fault"), None, None).await;
    assert_eq!(status, 200);
}

async fn settings(sim: &str) -> serde_json::Value {
    let (status, text) = http(
        "GET",
        &format!("{sim}/api/2.0/settings/tfaapp"),
        Some(OWNER_KEY),
        None,
    )
    .await;
    assert_eq!(status, 200);
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["response"].clone()
}

fn app_setting(all: &serde_json::Value) -> serde_json::Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "app")
        .cloned()
        .unwrap()
}

async fn connect(sim: &str, key: &str) {
    wait_for("#portal", None).await;
    type_in("#portal", sim).await;
    type_in("#token", key).await;
    click("[data-testid=connect]").await;
    wait_for("[data-testid=me-name]", None).await;
}

/// Connects as the owner and waits until the policy form shows the portal's settings.
async fn open_policy(sim: &str) {
    connect(sim, OWNER_KEY).await;
    wait_for("[data-testid=policy-form]", None).await;
    wait_for("[data-testid=summary] .changes", None).await;
}

async fn add_ip(entry: &str) {
    type_in("#ip-new", entry).await;
    press_enter("#ip-new");
    sleep(30).await;
}

fn ip_values() -> Vec<String> {
    find_all("[data-testid=ip-row] input")
        .into_iter()
        .map(|e| e.dyn_into::<HtmlInputElement>().unwrap().value())
        .collect()
}

// ---------- task 1: the policy ----------

#[wasm_bindgen_test]
async fn seed_policy_is_held_until_the_emailed_link_is_opened() {
    reset(SEED).await;
    let _panel = mount();
    open_policy(SEED).await;
    assert!(text("[data-testid=me-role]").contains("owner"));
    click("[data-testid=method-app]").await;
    add_ip("192.0.2.10").await;
    add_ip("203.0.113.0/24").await;
    assert_eq!(ip_values(), ["192.0.2.10", "203.0.113.0/24"]);
    assert!(text("[data-testid=summary]").contains("Off → Authenticator app"));
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=result]", Some("Check your email")).await;
    let link = input("[data-testid=result-link]").value();
    assert!(
        link.starts_with(&format!("{SEED}/confirm/TfaActivation")),
        "{link}"
    );
    // The link is on the portal's own (loopback) origin, so it is clickable.
    assert!(find("[data-testid=result-open]").is_some());
    // The result takes focus (on the next frame), for keyboard and screen-reader users.
    let mut focused = String::new();
    for _ in 0..200 {
        focused = document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default();
        if focused == "result-heading" {
            break;
        }
        sleep(25).await;
    }
    assert_eq!(focused, "result-heading");

    // Pending: nothing changed on the portal yet.
    assert_eq!(app_setting(&settings(SEED).await)["enabled"], false);
    // The link was "e-mailed"; opening it applies the change.
    let (_, outbox) = http("GET", &format!("{SEED}/sim/control/outbox"), None, None).await;
    assert!(
        outbox.contains(&link.replace('&', "\\u0026")) || outbox.contains(&link),
        "{outbox}"
    );
    // Open the link as a browser would. The request reaches the portal; Chromium
    // then blocks the opaque HTML answer, so the fetch's own outcome is ignored
    // and the effect is checked through the API below.
    let init = RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    let opened = web_sys::window()
        .unwrap()
        .fetch_with_str_and_init(&link, &init);
    let _ = JsFuture::from(opened).await;
    let app = app_setting(&settings(SEED).await);
    assert_eq!(app["enabled"], true);
    assert_eq!(
        app["trustedIps"],
        serde_json::json!(["192.0.2.10", "203.0.113.0/24"])
    );
}

#[wasm_bindgen_test]
async fn docspace_37_applies_at_once_and_the_panel_says_so() {
    reset(V37).await;
    let _panel = mount();
    open_policy(V37).await;
    click("[data-testid=method-app]").await;
    add_ip("198.51.100.1-198.51.100.20").await;
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=result]", Some("The new policy is in force")).await;
    let result = wait_for("[data-testid=result]", Some("applied the change at once"))
        .await
        .text_content()
        .unwrap_or_default();
    assert!(!result.contains("Check your email"), "{result}");
    let app = app_setting(&settings(V37).await);
    assert_eq!(app["enabled"], true);
    assert_eq!(
        app["trustedIps"],
        serde_json::json!(["198.51.100.1-198.51.100.20"])
    );
}

#[wasm_bindgen_test]
async fn a_read_only_key_connects_and_the_panel_says_it_cannot_save() {
    reset(V37).await;
    let _panel = mount();
    connect(V37, "sk-demo-readonly").await;
    wait_for("[data-testid=policy-form]", None).await;
    wait_for("[data-testid=summary] .changes", None).await;
    click("[data-testid=method-app]").await;
    click("[data-testid=policy-submit]").await;
    wait_for(
        "[data-testid=error]",
        Some("this API key can read but not change anything (403)"),
    )
    .await;
    wait_for(
        "[data-testid=error]",
        Some("Create an API key with write access"),
    )
    .await;
    assert_eq!(app_setting(&settings(V37).await)["enabled"], false);
}

#[wasm_bindgen_test]
async fn a_malformed_trusted_ip_can_never_be_sent() {
    reset(SEED).await;
    let _panel = mount();
    open_policy(SEED).await;
    click("[data-testid=method-app]").await;
    add_ip("not-an-ip").await;
    add_ip("1.2.3.4/33").await;
    add_ip("192.0.2.1-192.0.2.0").await;
    let messages: Vec<String> = find_all("[data-testid=ip-message]")
        .iter()
        .map(|m| m.text_content().unwrap_or_default())
        .collect();
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| !m.is_empty()), "{messages:?}");
    assert!(messages[1].contains("between 0 and 32"), "{messages:?}");
    assert!(is_disabled("[data-testid=policy-submit]"));
    assert!(text("[data-testid=policy-blocker]").contains("lock everyone out"));
    // A duplicate is flagged too.
    add_ip("192.0.2.5").await;
    add_ip("192.0.2.5").await;
    assert!(text("[data-testid=ip-editor]").contains("repeats entry"));
    let (_, log) = http("GET", &format!("{SEED}/sim/control/requests"), None, None).await;
    assert!(
        !log.contains("tfaappwithlink"),
        "nothing may reach the server: {log}"
    );
}

#[wasm_bindgen_test]
async fn choosing_off_warns_that_the_lists_are_wiped() {
    reset(V37).await;
    // Put a policy with lists in place first.
    let body = format!(
        r#"{{"type":"App","id":"8f2c1a9e-0001-4a6e-9c1d-5e7f00000001","trustedIps":["192.0.2.10"],"mandatoryUsers":["{PRIYA}"]}}"#
    );
    let (status, _) = http(
        "PUT",
        &format!("{V37}/api/2.0/settings/tfaapp"),
        Some(OWNER_KEY),
        Some(&body),
    )
    .await;
    assert_eq!(status, 200);
    let _panel = mount();
    open_policy(V37).await;
    assert_eq!(ip_values(), ["192.0.2.10"]);
    assert_eq!(find_all("#mandatory-users ~ * [data-testid=chip], [data-testid=mandatory-users] [data-testid=chip]").len(), 1);
    click("[data-testid=method-none]").await;
    let warnings = text("[data-testid=summary]");
    assert!(warnings.contains("1 trusted IP"), "{warnings}");
    click("[data-testid=policy-submit]").await;
    wait_for(
        "[data-testid=result]",
        Some("Two-factor authentication is off"),
    )
    .await;
    assert_eq!(app_setting(&settings(V37).await)["enabled"], false);
}

#[wasm_bindgen_test]
async fn the_people_picker_searches_and_shows_markup_as_text() {
    reset(SEED).await;
    let _panel = mount();
    open_policy(SEED).await;
    click("[data-testid=method-app]").await;
    type_in("#mandatory-users", "img").await;
    let hit = wait_for(".results .result-item", Some("<img")).await;
    // Shown as text: the markup is in the text, no element was created.
    assert!(hit
        .text_content()
        .unwrap()
        .contains("<script>alert(2)</script>"));
    assert!(find(".results img").is_none() && find(".results script").is_none());
    hit.dyn_into::<HtmlElement>().unwrap().click();
    sleep(30).await;
    wait_for("[data-testid=chip]", Some("<img")).await;
    // A pasted GUID is accepted too.
    type_in("#mandatory-users", &format!("see {PRIYA} please")).await;
    click("[data-testid=mandatory-users-add-ids]").await;
    assert_eq!(
        find_all("[data-testid=mandatory-users] [data-testid=chip]").len(),
        2
    );
}

// ---------- task 2: confirmation link ----------

#[wasm_bindgen_test]
async fn confirmation_link_in_both_profiles() {
    for sim in [SEED, V37] {
        reset(sim).await;
        let _panel = mount();
        connect(sim, OWNER_KEY).await;
        click("a[href='#confirm']").await;
        wait_for("[data-testid=confirm-fetch]", None).await;
        click("[data-testid=confirm-fetch]").await;
        wait_for("[data-testid=result]", Some("Nothing to confirm")).await;
        // Switch TFA on directly, then ask again.
        let body = r#"{"type":"App","id":"8f2c1a9e-0001-4a6e-9c1d-5e7f00000001"}"#;
        let (status, _) = http(
            "PUT",
            &format!("{sim}/api/2.0/settings/tfaapp"),
            Some(OWNER_KEY),
            Some(body),
        )
        .await;
        assert_eq!(status, 200);
        click("[data-testid=result-back]").await;
        wait_for("[data-testid=confirm-fetch]", None).await;
        click("[data-testid=confirm-fetch]").await;
        wait_for("[data-testid=result]", Some("Your confirmation link")).await;
        assert!(input("[data-testid=result-link]")
            .value()
            .contains("/confirm/"));
        drop(_panel);
    }
}

// ---------- task 3: a user's method ----------

#[wasm_bindgen_test]
async fn owner_unlinks_a_users_app_after_confirming_the_dialog() {
    reset(SEED).await;
    let _panel = mount();
    connect(SEED, OWNER_KEY).await;
    click("a[href='#user']").await;
    wait_for("#user-picker", None).await;
    type_in("#user-picker", "Priya").await;
    let hit = wait_for(".results .result-item", Some("Priya")).await;
    hit.dyn_into::<HtmlElement>().unwrap().click();
    sleep(30).await;
    click("[data-testid=user-method-none]").await;
    click("[data-testid=user-submit]").await;
    let dialog = wait_for("[data-testid=confirm-dialog][open]", None).await;
    assert!(dialog.text_content().unwrap().contains("Priya Patel"));
    click("[data-testid=dialog-confirm]").await;
    wait_for("[data-testid=result]", Some("Done")).await;
}

#[wasm_bindgen_test]
async fn on_37_the_owner_resets_a_linked_app_and_the_panel_says_only_that() {
    reset(V37).await;
    // DocSpace tells who has linked an app only while app TFA is on.
    let (status, _) = http(
        "PUT",
        &format!("{V37}/api/2.0/settings/tfaapp"),
        Some(OWNER_KEY),
        Some(r#"{"type":"App","id":"8f2c1a9e-0001-4a6e-9c1d-5e7f00000001"}"#),
    )
    .await;
    assert_eq!(status, 200);
    let _panel = mount();
    connect(V37, OWNER_KEY).await;
    click("a[href='#user']").await;
    wait_for("#user-heading", Some("Reset a user's authenticator app")).await;
    assert!(
        find_all("[data-testid=user-method-sms]").is_empty(),
        "no method choice on a real release"
    );
    type_in("#user-picker", "Priya").await;
    let hit = wait_for(".results .result-item", Some("app linked")).await;
    hit.dyn_into::<HtmlElement>().unwrap().click();
    sleep(30).await;
    click("[data-testid=user-submit]").await;
    let dialog = wait_for("[data-testid=confirm-dialog][open]", None).await;
    assert!(dialog
        .text_content()
        .unwrap()
        .contains("unlinks Priya Patel's authenticator app"));
    click("[data-testid=dialog-confirm]").await;
    let result = wait_for("[data-testid=result]", Some("Authenticator app reset"))
        .await
        .text_content()
        .unwrap_or_default();
    assert!(result.contains("now shows no app linked"), "{result}");
    assert!(!result.contains("TFA is off"), "{result}");
    // Priya has no app now: the panel says there is nothing to reset.
    click("[data-testid=result-back]").await;
    wait_for("[data-testid=user-blocker]", Some("nothing to reset")).await;
}

async fn submit_disabled() -> bool {
    sleep(30).await;
    wait_for("[data-testid=policy-submit]", None)
        .await
        .has_attribute("disabled")
}

#[wasm_bindgen_test]
async fn host_bits_are_sent_as_the_network_on_37_and_block_on_a_pretended_35() {
    reset(V37).await;
    let _panel = mount();
    open_policy(V37).await;
    click("[data-testid=method-app]").await;
    add_ip("192.0.2.10/24").await;
    wait_for(
        "[data-testid=ip-message]",
        Some("trusts the whole network 192.0.2.0/24"),
    )
    .await;
    assert!(!submit_disabled().await);
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=result]", Some("The new policy is in force")).await;
    let app = app_setting(&settings(V37).await);
    assert_eq!(app["trustedIps"], serde_json::json!(["192.0.2.0/24"]));
    drop(_panel);

    // A 3.6 simulator pretending to be 3.5: the entry would lock everyone out.
    reset(V36).await;
    control(V36, "version", r#"{"version":"3.5.2"}"#).await;
    let _panel = mount();
    open_policy(V36).await;
    wait_for("[data-testid=server-version]", Some("DocSpace 3.5.2")).await;
    click("[data-testid=method-app]").await;
    add_ip("192.0.2.10/24").await;
    wait_for("[data-testid=ip-message]", Some("every sign-in would fail")).await;
    assert!(
        submit_disabled().await,
        "a lock-out entry can never be sent"
    );
    click("[data-testid=ip-fix]").await;
    assert_eq!(ip_values(), ["192.0.2.0/24"]);
    // 3.5 also cuts IPv6 visitors' addresses: a block needs the confirmation.
    wait_for("[data-testid=ipv6-ack]", None).await;
    assert!(submit_disabled().await);
    click("[data-testid=ipv6-ack]").await;
    assert!(!submit_disabled().await);
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=result]", Some("The new policy is in force")).await;
    let app = app_setting(&settings(V36).await);
    assert_eq!(app["trustedIps"], serde_json::json!(["192.0.2.0/24"]));
    reset(V36).await;
}

#[wasm_bindgen_test]
async fn seed_sets_sms_and_app_for_a_user() {
    reset(SEED).await;
    let _panel = mount();
    connect(SEED, OWNER_KEY).await;
    click("a[href='#user']").await;
    for method in ["sms", "app"] {
        wait_for("#user-picker", None).await;
        type_in("#user-picker", PRIYA).await;
        click("[data-testid=user-picker-add-ids]").await;
        click(&format!("[data-testid=user-method-{method}]")).await;
        click("[data-testid=user-submit]").await;
        wait_for("[data-testid=result]", Some("Done")).await;
        assert!(input("[data-testid=result-link]").value().starts_with(SEED));
        click("[data-testid=result-back]").await;
    }
}

#[wasm_bindgen_test]
async fn a_room_admin_is_told_before_trying() {
    reset(SEED).await;
    let _panel = mount();
    connect(SEED, "sk-demo-roomadmin").await;
    wait_for(
        "[data-testid=role-notice]",
        Some("only the portal owner or a DocSpace administrator"),
    )
    .await;
    assert!(is_disabled("[data-testid=policy-submit]"));
}

// ---------- errors: each class names its cause; input is kept; retry works ----------

struct ErrorCase {
    fault: &'static str,
    expect: &'static str,
    retryable: bool,
}

const SAVE_ERRORS: &[ErrorCase] = &[
    ErrorCase {
        fault: r#""drop""#,
        expect: "could not be reached",
        retryable: true,
    },
    ErrorCase {
        fault: r#"{"empty":401}"#,
        expect: "no longer signed in",
        retryable: false,
    },
    ErrorCase {
        fault: r#"{"status":403,"message":"Access denied"}"#,
        expect: "owner or a DocSpace administrator",
        retryable: false,
    },
    ErrorCase {
        fault: r#"{"status":404,"message":"Not found"}"#,
        expect: "404",
        retryable: false,
    },
    ErrorCase {
        fault: r#"{"status":405,"message":"TFA application settings are not available"}"#,
        expect: "not available",
        retryable: false,
    },
    ErrorCase {
        fault: r#"{"status":500,"message":"Object reference not set to an instance of an object."}"#,
        expect: "Reload the settings",
        retryable: true,
    },
    ErrorCase {
        fault: r#""html""#,
        expect: "HTML page",
        retryable: true,
    },
    ErrorCase {
        fault: r#""malformed""#,
        expect: "not valid JSON",
        retryable: true,
    },
    ErrorCase {
        fault: r#""wrongType""#,
        expect: "unexpected shape",
        retryable: true,
    },
    ErrorCase {
        fault: r#""missingResponse""#,
        expect: "unexpected shape",
        retryable: true,
    },
];

#[wasm_bindgen_test]
async fn every_save_error_names_its_cause_keeps_the_input_and_retry_works() {
    reset(SEED).await;
    let _panel = mount();
    open_policy(SEED).await;
    click("[data-testid=method-app]").await;
    add_ip("192.0.2.10").await;
    type_in("#mandatory-users", PRIYA).await;
    click("[data-testid=mandatory-users-add-ids]").await;
    for case in SAVE_ERRORS {
        fault(SEED, "PUT", "settings/tfaappwithlink", case.fault).await;
        click("[data-testid=policy-submit]").await;
        let banner = wait_for("[data-testid=error]", Some(case.expect)).await;
        // Everything typed is still there.
        assert_eq!(ip_values(), ["192.0.2.10"], "after {}", case.fault);
        assert_eq!(
            find_all("[data-testid=mandatory-users] [data-testid=chip]").len(),
            1
        );
        let retry = find_all("[data-testid=error] button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().contains("Try again"));
        clear_faults(SEED).await;
        assert_eq!(
            retry.is_some(),
            case.retryable,
            "retry button after {}: {:?}",
            case.fault,
            banner.text_content()
        );
    }
    // The fault has cleared: sending again succeeds.
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=result]", Some("Check your email")).await;
}

#[wasm_bindgen_test]
async fn validation_errors_land_on_the_entry_they_name() {
    reset(SEED).await;
    let _panel = mount();
    open_policy(SEED).await;
    click("[data-testid=method-app]").await;
    add_ip("192.0.2.10").await;
    add_ip("192.0.2.11").await;
    fault(
        SEED,
        "PUT",
        "settings/tfaappwithlink",
        r#"{"status":400,"errors":{"$.trustedIps[1]":["The TrustedIps field must contain a valid IP address, IP range or CIDR block."]}}"#,
    )
    .await;
    click("[data-testid=policy-submit]").await;
    wait_for("[data-testid=error]", Some("rejected the request (400)")).await;
    let messages: Vec<String> = find_all("[data-testid=ip-message]")
        .iter()
        .map(|m| m.text_content().unwrap_or_default())
        .collect();
    assert_eq!(messages[0], "");
    assert!(
        messages[1].contains("The portal rejected this entry"),
        "{messages:?}"
    );
    assert_eq!(ip_values(), ["192.0.2.10", "192.0.2.11"]);
}

#[wasm_bindgen_test]
async fn connect_errors_keep_the_typed_address_and_key() {
    reset(SEED).await;
    let _panel = mount();
    wait_for("#portal", None).await;
    for (kind, expect) in [
        (r#"{"empty":401}"#, "did not accept"),
        (r#"{"empty":403}"#, "does not have the permission"),
        (r#""html""#, "not a DocSpace API response"),
    ] {
        fault(SEED, "GET", "people/@self", kind).await;
        type_in("#portal", SEED).await;
        type_in("#token", OWNER_KEY).await;
        click("[data-testid=connect]").await;
        wait_for("[data-testid=error]", Some(expect)).await;
        assert_eq!(input("#portal").value(), SEED);
        assert_eq!(input("#token").value(), OWNER_KEY);
    }
    // A plain-http portal that is not loopback is refused before any request.
    type_in("#portal", "http://portal.example.com").await;
    click("[data-testid=connect]").await;
    wait_for("[data-testid=portal-msg]", Some("https")).await;
    // Nothing wrong any more: connecting works.
    type_in("#portal", SEED).await;
    click("[data-testid=connect]").await;
    wait_for("[data-testid=me-name]", Some("Alex Morgan")).await;
}

#[wasm_bindgen_test]
async fn a_hung_request_times_out_after_15_seconds_and_can_be_retried() {
    reset(V37).await;
    let _panel = mount();
    connect(V37, OWNER_KEY).await;
    click("a[href='#confirm']").await;
    wait_for("[data-testid=confirm-fetch]", None).await;
    fault(V37, "GET", "settings/tfaapp/confirm", r#""hang""#).await;
    click("[data-testid=confirm-fetch]").await;
    // While in flight the button cannot be pressed again.
    sleep(100).await;
    assert!(is_disabled("[data-testid=confirm-fetch]"));
    sleep(Duration::from_secs(15).as_millis() as i32).await;
    wait_for("[data-testid=error]", Some("15 seconds")).await;
    click("[data-testid=error] button").await;
    wait_for("[data-testid=result]", Some("Nothing to confirm")).await;
    wait_gone("[data-testid=error]").await;
}
