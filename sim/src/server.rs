//! The HTTP server: the accept loop (our own, so a fault can close one
//! connection and shutdown can end hanging ones), the layers every request
//! passes (compression, CORS, faults and the request log) and the top-level
//! dispatch to the API, test control, the portal pages and the panel.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{Method, Response};
use axum::middleware::from_fn_with_state;
use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;

use crate::assets::serve_static;
use crate::cors::cors;
use crate::faults::faults_and_log;
use crate::shared::{is_api, is_control, plain, stopped, ConnCtx, Shared};
use crate::{control, pages, route};

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(dispatch)
        .layer(from_fn_with_state(shared.clone(), faults_and_log))
        .layer(from_fn_with_state(shared.clone(), cors))
        .layer(CompressionLayer::new())
        .with_state(shared)
}

pub async fn accept_loop(listener: TcpListener, app: Router, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            res = listener.accept() => match res {
                Ok((stream, peer)) => {
                    tokio::spawn(serve_connection(stream, peer, app.clone(), shutdown.clone()));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = stopped(&mut stop) => break,
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let local = stream.local_addr().unwrap_or(peer);
    let kill = Arc::new(Notify::new());
    let ctx = ConnCtx {
        peer,
        local,
        kill: kill.clone(),
    };
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ctx.clone());
        app.clone().oneshot(req.map(Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    // Dropping the connection future closes the socket at once: that is how
    // the "drop" and "hang" faults and shutdown end a connection.
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = stopped(&mut shutdown) => {}
    }
}

async fn dispatch(AxState(sh): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let path = req.uri().path().to_string();
    let lower = path.to_ascii_lowercase();
    if is_api(&path) {
        return route::entry(&sh, req).await;
    }
    if is_control(&path) {
        if !sh.test_control {
            return plain(404, "Not Found");
        }
        return control::handle(&sh, req).await;
    }
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    match lower.as_str() {
        "/sim/signin" | "/sim/outbox" | "/sim/outbox.json" | "/login" if !get => {
            plain(405, "Method Not Allowed")
        }
        "/sim/signin" => pages::signin(&sh, &req),
        "/sim/outbox" => pages::outbox_html(&sh),
        "/sim/outbox.json" => pages::outbox_json(&sh),
        "/login" => pages::login_page(&sh, &req),
        p if p.starts_with("/confirm/") && get => pages::confirm_page(&sh, &req),
        "/confirm/tfaactivation" if req.method() == Method::POST => {
            pages::confirm_post(&sh, req).await
        }
        _ => serve_static(&sh, req).await,
    }
}
