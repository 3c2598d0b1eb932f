//! Browser-facing pages of the simulated portal: sign-in hand-off, the
//! e-mail outbox and the confirm/login stand-ins.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Response, StatusCode};

use crate::auth::auth_cookie;
use crate::clock::rfc3339;
use crate::encoding::{html_escape, parse_query, query_get};
use crate::envelope::json_response;
use crate::pending::apply_pending;
use crate::request::page_client;
use crate::seed::UserTfa;
use crate::shared::{plain, ConnCtx, Shared};

fn html(status: u16, title: &str, body_html: &str) -> Response<Body> {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}\
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}}\
pre{{white-space:pre-wrap;margin:0}}.err{{color:#a00}}</style></head><body>{}</body></html>\n",
        html_escape(title),
        body_html
    );
    let mut r = Response::new(Body::from(page));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Accepts only same-site relative paths: one leading `/`, no `//` or `/\`
/// prefix, no control characters.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// `GET /sim/signin?as=ROLE|GUID[&next=/path]`: sets `asc_auth_key` and
/// redirects (303), the way a portal hands its session to an embedded page.
pub fn signin(sh: &Shared, req: &Request) -> Response<Body> {
    let q = parse_query(req.uri().query());
    let who = query_get(&q, "as").unwrap_or("owner");
    let mut st = sh.lock();
    let Some(user) = st.resolve_as(who) else {
        return plain(
            400,
            "Unknown user: use as=owner|admin|roomadmin|user|guest or a user id.",
        );
    };
    let (token, _) = st.new_session(user);
    let next = safe_next(query_get(&q, "next"));
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(&next) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&auth_cookie(&token)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /sim/outbox.json`: every message sent, oldest first.
pub fn outbox_json(sh: &Shared) -> Response<Body> {
    json_response(200, &sh.lock().outbox_json())
}

fn is_http_link(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// `GET /sim/outbox`: every message sent, newest first, as a page.
pub fn outbox_html(sh: &Shared) -> Response<Body> {
    let st = sh.lock();
    let mut rows = String::new();
    for m in st.outbox.iter().rev() {
        let link = match &m.link {
            Some(l) if is_http_link(l) => {
                format!("<a href=\"{0}\">{0}</a>", html_escape(l))
            }
            Some(l) => html_escape(l),
            None => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td><td>{}</td></tr>",
            m.id,
            html_escape(&rfc3339(m.created_ms)),
            html_escape(&m.kind),
            html_escape(&m.to),
            html_escape(&m.subject),
            html_escape(&m.body),
            link
        ));
    }
    let body = if rows.is_empty() {
        "<h1>Outbox</h1><p>No messages yet.</p>".to_string()
    } else {
        format!(
            "<h1>Outbox</h1><p>Messages the simulated portal has sent, newest first.</p>\
<table><thead><tr><th>#</th><th>Sent</th><th>Kind</th><th>To</th><th>Subject</th><th>Body</th><th>Link</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    html(200, "Outbox", &body)
}

/// `GET /confirm/{kind}`: applies a seed-profile pending change when the
/// link carries a key, otherwise stands in for the portal's confirm page.
pub fn confirm_page(sh: &Shared, req: &Request) -> Response<Body> {
    let q = parse_query(req.uri().query());
    let kind = req.uri().path().trim_start_matches("/confirm/").to_string();
    if let Some(key) = query_get(&q, "key").filter(|_| kind.eq_ignore_ascii_case("TfaActivation")) {
        let uid = query_get(&q, "uid").unwrap_or("");
        let mut st = sh.lock();
        let client = page_client(&st, req.headers(), ConnCtx::of(req.extensions()).as_ref());
        return match apply_pending(&mut st, uid, key, &client) {
            Ok((summary, requester)) => html(
                200,
                "Change applied",
                &format!(
                    "<h1>Two-factor authentication settings applied</h1><p>The change requested by {} is now in effect: {}.</p>\
<p>Turning a method on signs every session on the portal out.</p>",
                    html_escape(&requester),
                    html_escape(&summary)
                ),
            ),
            Err(msg) => html(
                400,
                "Link not valid",
                &format!("<h1 class=\"err\">This link cannot be used</h1><p>{}</p>", html_escape(&msg)),
            ),
        };
    }
    let cookie = format!("asc_confirm_key_{kind}");
    let has_cookie = has_cookie(req, &cookie);
    // The activation step can be completed here: a button stands in for
    // scanning the QR code and typing the first code.
    let link_form = match query_get(&q, "uid") {
        Some(uid) if kind.eq_ignore_ascii_case("TfaActivation") && has_cookie => format!(
            "<form method=\"post\" action=\"/confirm/TfaActivation\"><input type=\"hidden\" name=\"uid\" value=\"{}\">\
<button type=\"submit\">Connect the app (simulated)</button></form>",
            html_escape(uid)
        ),
        _ => String::new(),
    };
    html(
        200,
        &kind,
        &format!(
            "<h1>{}</h1><p>This page stands in for the portal's <code>/confirm/{}</code> page, where a person links or uses \
an authenticator app. The simulator does not check codes.</p><p>Confirm cookie <code>{}</code>: {}.</p>{link_form}",
            html_escape(&kind),
            html_escape(&kind),
            html_escape(&cookie),
            if has_cookie { "present" } else { "absent" }
        ),
    )
}

/// Whether the request carries a cookie of this name.
fn has_cookie(req: &Request, name: &str) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(';')
                .any(|c| c.trim().starts_with(&format!("{name}=")))
        })
}

/// `POST /confirm/TfaActivation` (form field `uid`): the activation step
/// done. Needs the `asc_confirm_key_TfaActivation` cookie, as the real
/// step does, and app TFA on (or, in the seed profile, a reset to the app).
/// Links the user's app (`UserConnectedTfaApp` in the audit trail) and
/// signs them in, as the real step does after the first valid code.
pub async fn confirm_post(sh: &Shared, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let failed = |msg: &str| {
        html(
            400,
            "Not connected",
            &format!(
                "<h1 class=\"err\">The app was not connected</h1><p>{}</p>",
                html_escape(msg)
            ),
        )
    };
    let req = Request::from_parts(parts, Body::empty());
    if !has_cookie(&req, "asc_confirm_key_TfaActivation") {
        return failed("The confirmation cookie asc_confirm_key_TfaActivation did not come with the request: open the confirmation link in this browser first.");
    }
    let Ok(body) = to_bytes(body, 64 * 1024).await else {
        return failed("The form is too large.");
    };
    let form = parse_query(std::str::from_utf8(&body).ok());
    let uid = query_get(&form, "uid").unwrap_or("");
    let mut st = sh.lock();
    let Some(user) = st.portal.user(uid) else {
        return failed("No user with this id exists on the portal.");
    };
    let u = &st.portal.users[user];
    if u.app_linked {
        return failed("This user already has an authenticator app connected.");
    }
    if !st.app.enable && u.user_tfa != UserTfa::App {
        return failed("TFA application settings are not available.");
    }
    let client = page_client(&st, req.headers(), ConnCtx::of(req.extensions()).as_ref());
    st.link_app(user, &client);
    let (token, _) = st.new_session(user);
    let name = st.portal.users[user].display.clone();
    let mut r = html(
        200,
        "App connected",
        &format!(
            "<h1>Authenticator app connected</h1><p>{} now signs in with codes from the app.</p><p><a href=\"/\">Continue</a></p>",
            html_escape(&name)
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&auth_cookie(&token)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// `GET /login`: the portal's sign-in page stand-in, with demo sign-in links.
pub fn login_page(sh: &Shared, req: &Request) -> Response<Body> {
    let _ = sh;
    let q = parse_query(req.uri().query());
    let uid = query_get(&q, "uid").unwrap_or("");
    let links: String = ["owner", "admin", "roomadmin", "user", "guest"]
        .iter()
        .map(|r| format!("<li><a href=\"/sim/signin?as={r}\">Sign in as {r}</a></li>"))
        .collect();
    html(
        200,
        "Sign in",
        &format!(
            "<h1>Sign in</h1><p>This page stands in for the portal's sign-in page{}.</p><ul>{links}</ul>",
            if uid.is_empty() {
                String::new()
            } else {
                format!(" (user <code>{}</code>)", html_escape(uid))
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_same_site() {
        assert_eq!(safe_next(Some("/panel/?x=1")), "/panel/?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
