// Reads error bodies with the generated Rust model and reports what it read.
//
//     models-check            cases on stdin: a JSON list of {"where", "body"}
//     models-check fetch URL  one GET to a local server (http://127.0.0.1:PORT/PATH); the answer is the case
//
// Prints one JSON object per case (see test/languages-models.test.ts for the fields).
use pandastack_errors::parse_error;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn describe(place: &str, body: &str) -> Value {
    let envelope = match parse_error(body) {
        Ok(envelope) => envelope,
        Err(e) => return json!({"where": place, "ok": false, "error": e.to_string()}),
    };
    let e = &envelope.error;
    let (typed, typed_type, typed_error) = match e.typed_details() {
        None => (Value::Null, Value::Null, Value::Null),
        Some(Ok(d)) => match d.to_value() {
            Ok(v) => (v, json!(format!("{:?}", d).split('(').next().unwrap_or("").to_string()), Value::Null),
            Err(err) => (Value::Null, Value::Null, json!(err.to_string())),
        },
        Some(Err(err)) => (Value::Null, Value::Null, json!(err.to_string())),
    };
    json!({
        "where": place, "ok": true, "code": e.code.as_str(), "known": e.code.is_known(),
        "message": e.message, "request_id": e.request_id, "retryable": e.retryable(),
        "retry_after_sec": e.retry_after_sec(), "status": e.code.status(), "details_type": e.code.details_type(),
        "envelope": serde_json::to_value(&envelope).expect("the envelope serializes"),
        "typed_details": typed, "typed_type": typed_type, "typed_error": typed_error,
    })
}

/// A plain HTTP/1.1 GET with Connection: close (the test server sends Content-Length).
fn fetch(url: &str) -> std::io::Result<(u16, String)> {
    let rest = url.strip_prefix("http://").ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "http:// URLs only"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(stream, "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n\r\n", if path.is_empty() { "/" } else { path }, host)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no end of headers"))?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    Ok((status, body.to_string()))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "fetch" {
        let (status, body) = fetch(&args[2]).unwrap_or_else(|e| {
            eprintln!("{}", e);
            std::process::exit(1)
        });
        let mut result = describe("server", &body);
        result["http_status"] = json!(status);
        println!("{}", result);
        return;
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let cases: Vec<Value> = serde_json::from_str(&input).unwrap_or_else(|e| {
        eprintln!("cases: {}", e);
        std::process::exit(2)
    });
    for case in cases {
        let place = case["where"].as_str().unwrap_or("");
        println!("{}", describe(place, &case["body"].to_string()));
    }
}
