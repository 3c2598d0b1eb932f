//! CORS: any origin without credentials by default, or one configured
//! origin with credentials; test control is open to any origin.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use axum::middleware::Next;

use crate::envelope::empty;
use crate::shared::{is_control, Shared};

pub async fn cors(AxState(sh): AxState<Arc<Shared>>, req: Request, next: Next) -> Response<Body> {
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        return next.run(req).await;
    };
    // Test control (only present with --test-control) is open to any origin,
    // so browser tests served by another origin can drive the simulator.
    let control = is_control(req.uri().path());
    let allowed: Option<HeaderValue> = match &sh.cors_origin {
        _ if control => Some(HeaderValue::from_static("*")),
        None => Some(HeaderValue::from_static("*")),
        Some(o) if origin.as_bytes() == o.as_bytes() => Some(origin.clone()),
        Some(_) => None,
    };
    let specific = sh.cors_origin.is_some() && !control;
    let decorate = |h: &mut HeaderMap| {
        if let Some(a) = &allowed {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, a.clone());
            if specific {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
        }
        if specific {
            h.append(header::VARY, HeaderValue::from_static("Origin"));
        }
    };
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut r = empty(204);
        if allowed.is_some() {
            let h = r.headers_mut();
            if let Some(m) = req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD) {
                h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, m.clone());
            }
            if let Some(rh) = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
                h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, rh.clone());
            }
        }
        decorate(r.headers_mut());
        return r;
    }
    let mut resp = next.run(req).await;
    decorate(resp.headers_mut());
    resp
}
