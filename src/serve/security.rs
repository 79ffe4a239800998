//! A local server is a door into the user's machine: every request must name our own host (DNS
//! rebinding), carry the session token (URL once, then an HttpOnly SameSite=Strict cookie named
//! for the port), and a state-changing one must come from our own page (CSRF). Every answer
//! carries a strict CSP and sends no referrer (the first URL holds the token).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Session;

/// The token's cookie is this and the port (`secform_token_8080`): see [`Session::cookie_name`].
pub const COOKIE_PREFIX: &str = "secform_token_";

/// Only the page's own scripts, styles, font and images (the seal preview is a data: URI).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// 128 bits from the operating system's random source (`getrandom`), as hex: the token is the
/// only thing between another local user's browser tab and the user's answers, so it must not
/// be guessable from the start time.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_string(),
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    no_referrer(&mut r);
    r
}

/// The page's first URL carries the token: no request it makes may pass it on.
fn no_referrer(r: &mut Response) {
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The `Host` values a request may carry: the address listened on with the port, and
/// `localhost:PORT` when that address is the loopback one.
fn hosts(session: &Session) -> Vec<String> {
    let mut hosts = vec![session.authority()];
    if session.listen.is_loopback() {
        hosts.push(format!("localhost:{}", session.port));
    }
    hosts
}

fn host_ok(session: &Session, host: Option<&str>) -> bool {
    host.is_some_and(|h| hosts(session).iter().any(|ok| ok == h))
}

fn cookie_token(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn query_token(req: &Request) -> Option<String> {
    req.uri()
        .query()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v.to_string())
}

/// Constant-time comparison: the token is not leaked a byte at a time.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The checks every request passes, in this order: Host, token, Origin.
pub async fn guard(State(session): State<Arc<Session>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host_ok(&session, host) {
        return refuse(
            StatusCode::FORBIDDEN,
            &format!(
                "このサーバーは {} への接続だけを受け付けます",
                hosts(&session).join(" または ")
            ),
        );
    }
    let cookie = session.cookie_name();
    let from_cookie = cookie_token(&req, &cookie).is_some_and(|t| same(&t, &session.token));
    let from_query = query_token(&req).is_some_and(|t| same(&t, &session.token));
    if !from_cookie && !from_query {
        return refuse(
            StatusCode::FORBIDDEN,
            "アクセス用のトークンがありません。secform serve が表示した URL を開いてください",
        );
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok());
        let ok = origin.is_some_and(|o| {
            hosts(&session)
                .iter()
                .any(|h| o.strip_prefix("http://") == Some(h.as_str()))
        });
        if !ok {
            return refuse(
                StatusCode::FORBIDDEN,
                "このページ以外からの送信は受け付けません",
            );
        }
    }
    let mut response = next.run(req).await;
    // axum's own refusal of a long body is English plain text: the page shows our words.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response = (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(serde_json::json!({ "message": format!(
                "送られた回答が大きすぎます（上限 {} バイト。印影の画像は {} バイトまで）",
                super::BODY_LIMIT,
                crate::model::seal::MAX_BYTES
            ) })),
        )
            .into_response();
    }
    no_referrer(&mut response);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if from_query && !from_cookie {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{cookie}={}; HttpOnly; SameSite=Strict; Path=/",
            session.token
        )) {
            headers.insert(header::SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 32 hex digits (128 bits), never the same twice, every digit position in use.
    #[test]
    fn tokens_are_128_random_bits() {
        let tokens: Vec<String> = (0..256).map(|_| new_token().unwrap()).collect();
        for t in &tokens {
            assert_eq!(t.len(), 32, "{t}");
            assert!(t
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        let distinct: std::collections::BTreeSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
        for i in 0..32 {
            let digits: std::collections::BTreeSet<u8> =
                tokens.iter().map(|t| t.as_bytes()[i]).collect();
            assert!(digits.len() > 8, "digit {i} barely varies");
        }
    }
}
