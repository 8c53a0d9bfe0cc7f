//! The fake Bot API's reading of `multipart/form-data` calls (teloxide sends setWebhook and
//! uploads that way): their text fields as a JSON object, their files as bytes.

use serde_json::{json, Value};

/// The file parts of a multipart body: (field, file name, bytes).
pub(super) fn multipart_files(body: &[u8], boundary: &str) -> Vec<(String, String, Vec<u8>)> {
    let delim = format!("--{boundary}").into_bytes();
    let mut out = vec![];
    let mut parts = vec![];
    let mut start = 0;
    while let Some(pos) = body[start..].windows(delim.len()).position(|w| w == delim.as_slice()) {
        parts.push(&body[start..start + pos]);
        start += pos + delim.len();
    }
    for part in parts {
        let Some(split) = part.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&part[..split]);
        let Some(file_name) = head.split("filename=\"").nth(1).and_then(|r| r.split('"').next()) else { continue };
        let field = head.split("name=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
        let mut data = &part[split + 4..];
        if data.ends_with(b"\r\n") {
            data = &data[..data.len() - 2];
        }
        out.push((field, file_name.to_string(), data.to_vec()));
    }
    out
}

/// Reads a `multipart/form-data` body (teloxide sends setWebhook and uploads that way) into a
/// JSON object of its text fields; fields that hold JSON are parsed.
pub(super) fn multipart_fields(body: &[u8], boundary: &str) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut map = serde_json::Map::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head.split("name=\"").nth(1).and_then(|r| r.split('"').next()) else {
            continue;
        };
        let value = value.trim_end_matches("\r\n");
        let parsed = serde_json::from_str::<Value>(value).ok().filter(|v| v.is_array() || v.is_object());
        map.insert(name.to_string(), parsed.unwrap_or_else(|| Value::String(value.to_string())));
    }
    Value::Object(map)
}

/// The chat of an upload: multipart fields are text, Telegram answers with the number.
pub(super) fn upload_chat(body: &Value) -> Value {
    match body.get("chat_id") {
        Some(Value::String(id)) => id.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(id)),
        Some(v) => v.clone(),
        None => json!(1),
    }
}
