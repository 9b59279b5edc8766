//! The round trip through openapi-generator's Rust client, blocking (see ../README.md).
use pandastack_client::apis::configuration::Configuration;
use pandastack_client::apis::{exec_api, filesystem_api, sandboxes_api, Error};
use pandastack_client::models::{ExecRequest, SandboxCreate, SandboxStatus};
use serde_json::{json, Map, Value};
use std::{env, thread, time::Duration};

const MISSING: &str = "00000000-0000-4000-8000-000000000000";
const FILE: &str = "/workspace/hello.txt";

fn api(url: &str, token: &str) -> Configuration {
    // The generated write_file sends its bytes with no Content-Type; a default header supplies it
    // (reqwest keeps a request's own Content-Type, so JSON bodies still say JSON).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static("application/octet-stream"));
    let client = reqwest::blocking::Client::builder().default_headers(headers).build().expect("HTTP client");
    Configuration { base_path: url.to_string(), bearer_access_token: Some(token.to_string()), client, ..Configuration::default() }
}

fn sandbox_create() -> SandboxCreate {
    SandboxCreate { template: Some("code-interpreter".to_string()), ..SandboxCreate::new() }
}

fn round_trip(c: &Configuration, text: &str) -> Value {
    let created = sandboxes_api::create_sandbox(c, sandbox_create(), None).expect("create");
    let id = created.id.to_string();
    let mut status = created.status;
    for _ in 0..100 {
        // bounded: 100 polls, 50 ms apart
        if status == SandboxStatus::Running {
            break;
        }
        thread::sleep(Duration::from_millis(50));
        status = sandboxes_api::get_sandbox(c, &id, None).expect("get").status;
    }
    let written = filesystem_api::write_file(c, &id, FILE, text.as_bytes().to_vec(), None).expect("write");
    let ran = exec_api::exec_command(c, &id, ExecRequest::new(format!("cat {FILE}")), None).expect("exec");
    let read = filesystem_api::read_file(c, &id, FILE, None).expect("read").text().expect("read body");
    sandboxes_api::delete_sandbox(c, &id, None).expect("delete");
    json!({"created_status": created.status.to_string(), "status": status.to_string(), "bytes": written.bytes,
           "stdout": ran.stdout, "exit_code": ran.exit_code, "read": read})
}

/// Reads a failed call through the languages/rust crate.
fn failure<T, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> Value {
    let content = match result {
        Err(Error::ResponseError(content)) => content,
        Err(other) => panic!("expected an error response, got {other:?}"),
        Ok(_) => panic!("the call succeeded; an error was expected"),
    };
    let err = pandastack_errors::from_response(content.status.as_u16(), &content.content).expect("read the error");
    let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
    let details = match err.error.typed_details() {
        Some(typed) => typed.expect("typed details").to_value().expect("details as JSON"),
        None => Value::Object(err.error.details.clone().into_iter().collect::<Map<String, Value>>()),
    };
    json!({"http_status": err.status, "code": err.code(), "known": err.error.code.is_known(), "request_id": err.error.request_id,
           "retryable": err.error.retryable(), "retry_after_sec": err.error.retry_after_sec(), "details": details,
           "text": boxed.to_string()})
}

fn main() {
    let var = |name: &str| env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    let url = var("PANDASTACK_URL");
    let main_api = api(&url, &var("PANDASTACK_API_KEY"));
    let rate = api(&url, &var("RATE_API_KEY"));
    let _ = sandboxes_api::get_sandbox(&rate, MISSING, None); // the one call a minute allows
    let errors = json!({
        "not_found": failure(sandboxes_api::get_sandbox(&main_api, MISSING, None)),
        "quota": failure(sandboxes_api::create_sandbox(&api(&url, &var("QUOTA_API_KEY")), sandbox_create(), None)),
        "rate_limited": failure(sandboxes_api::get_sandbox(&rate, MISSING, None)),
        "unknown": failure(sandboxes_api::get_sandbox(&api(&var("UNKNOWN_URL"), &var("PANDASTACK_API_KEY")), MISSING, None)),
    });
    println!("{}", json!({"roundtrip": round_trip(&main_api, &var("FILE_TEXT")), "errors": errors}));
}
