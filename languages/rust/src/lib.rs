//! The PandaStack API's error envelope, catalog and typed details (`models`, generated from the
//! spec), and [`from_response`], which turns a generated client's error response into a typed
//! [`ApiError`]. openapi-generator's Rust client reports an error status as
//! `Error::ResponseError(ResponseContent { status, content, .. })`: pass `status.as_u16()` and
//! `&content`.
mod models;

pub use models::*;

use std::fmt;

/// A failed call: the HTTP status and the envelope's `error` member.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub error: ErrorObject,
}

impl ApiError {
    /// The code as sent, also when this crate does not know it.
    pub fn code(&self) -> &str {
        self.error.code.as_str()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}, request {}): {}", self.code(), self.status, self.error.request_id, self.error.message)
    }
}

impl std::error::Error for ApiError {}

/// Why a response could not be read as a PandaStack error.
#[derive(Debug)]
pub enum ResponseError {
    /// The status is not an error status.
    NotAnError(u16),
    /// The body is not the error envelope.
    NotTheEnvelope { status: u16, reason: serde_json::Error },
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::NotAnError(status) => write!(f, "HTTP {status} is not an error status"),
            ResponseError::NotTheEnvelope { status, reason } => write!(f, "HTTP {status}: not the error envelope: {reason}"),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::NotAnError(_) => None,
            ResponseError::NotTheEnvelope { reason, .. } => Some(reason),
        }
    }
}

/// Reads an error response from its status and body.
pub fn from_response(status: u16, content: &str) -> Result<ApiError, ResponseError> {
    if status < 400 {
        return Err(ResponseError::NotAnError(status));
    }
    let envelope = parse_error(content).map_err(|reason| ResponseError::NotTheEnvelope { status, reason })?;
    Ok(ApiError { status, error: envelope.error })
}
