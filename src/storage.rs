//! What the page keeps in the browser's storage, as text: postcard bytes
//! (the worker messages' encoding: every `f64` kept, NaN and ±∞ included)
//! in base64. Storage is input from a stranger too — another version of the
//! page, an extension, a hand edit: [`from_text`] says what is wrong with
//! text it cannot read, and never panics.

use serde::{Deserialize, Serialize};

use crate::base64::{base64, unbase64};

/// A value as storage text.
pub fn to_text<T: Serialize>(value: &T) -> Result<String, String> {
    crate::worker::protocol::encode(value).map(|bytes| base64(&bytes))
}

/// A value from storage text, or why it cannot be read.
pub fn from_text<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
    let bytes = unbase64(text.trim()).ok_or("it is not base64 text")?;
    crate::worker::protocol::decode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_keep_every_float_and_damaged_text_is_an_error() {
        let value = (vec![f64::NAN, f64::NEG_INFINITY, 0.1], Some("x".to_string()));
        let text = to_text(&value).unwrap();
        let back: (Vec<f64>, Option<String>) = from_text(&text).unwrap();
        assert!(back.0[0].is_nan() && back.0[1] == f64::NEG_INFINITY && back.0[2] == 0.1);
        assert!(from_text::<(Vec<f64>, Option<String>)>("{\"json\": true}").is_err());
        assert!(from_text::<(Vec<f64>, Option<String>)>(&text[..text.len() - 4]).is_err());
    }
}
