//! `from_response` on the status and body of openapi-generator's `ResponseContent`.
use pandastack_errors::{from_response, Details, ErrorCode, ResponseError};

const NOT_FOUND: &str = r#"{"error":{"code":"sandbox.not_found","message":"Sandbox x does not exist","request_id":"req_abc123","details":{"resource":"sandbox","id":"x"}}}"#;

#[test]
fn a_known_code_reads_with_typed_details() {
    let err = from_response(404, NOT_FOUND).expect("the envelope");
    assert_eq!(err.error.code, ErrorCode::SandboxNotFound);
    assert_eq!((err.status, err.code(), err.error.request_id.as_str(), err.error.retryable()), (404, "sandbox.not_found", "req_abc123", false));
    match err.error.typed_details() {
        Some(Ok(Details::ResourceDetails(d))) => assert_eq!(d.id.as_deref(), Some("x")),
        other => panic!("typed details: {other:?}"),
    }
    assert_eq!(err.to_string(), "sandbox.not_found (HTTP 404, request req_abc123): Sandbox x does not exist");
}

#[test]
fn an_unknown_code_keeps_its_code_and_retryability() {
    let body = r#"{"error":{"code":"capacity.region_draining","message":"m","request_id":"req_1","details":{"retryable":true,"retry_after_sec":7}}}"#;
    let err = from_response(503, body).expect("the envelope");
    assert!(!err.error.code.is_known());
    assert_eq!((err.code(), err.error.retryable(), err.error.retry_after_sec()), ("capacity.region_draining", true, Some(7)));
    assert!(err.error.typed_details().is_none());
}

#[test]
fn it_is_a_std_error() {
    let err: Box<dyn std::error::Error> = Box::new(from_response(404, NOT_FOUND).unwrap());
    assert!(err.to_string().starts_with("sandbox.not_found"));
}

#[test]
fn a_body_that_is_not_the_envelope_is_refused() {
    for body in ["", "<html>", r#"{"message":"Bad Gateway"}"#, r#"{"error":{"code":404,"message":"m","request_id":"r","details":{}}}"#] {
        match from_response(502, body) {
            Err(ResponseError::NotTheEnvelope { status: 502, .. }) => {}
            other => panic!("{body}: {other:?}"),
        }
    }
    assert!(matches!(from_response(200, NOT_FOUND), Err(ResponseError::NotAnError(200))));
}
