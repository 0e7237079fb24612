//! The JSON lines the lab writes (`hyperlab run --json`, the page's JSON
//! downloads), byte for byte as `serde_json` writes them — compact, an
//! object's keys in sorted order (its default map), a float as `ryu` writes
//! it, a non-finite float as `null` — without `serde_json` in the page's
//! module (9.9 KB of its Brotli: docs/PERFORMANCE.md). `tests/json_lines.rs`
//! checks every writer here against `serde_json` itself.

/// A JSON object being written: its members, each value already JSON text.
#[derive(Default)]
pub struct Object(Vec<(String, String)>);

impl Object {
    pub fn new() -> Object {
        Object::default()
    }

    /// Adds a member whose value is JSON text (a number, an object, …); a
    /// member of the same key is replaced, as in a map.
    pub fn raw(mut self, key: &str, json: String) -> Object {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), json));
        self
    }

    /// A float member (`null` when not finite).
    pub fn number(self, key: &str, v: f64) -> Object {
        self.raw(key, number(v))
    }

    /// An integer member.
    pub fn int(self, key: &str, v: usize) -> Object {
        self.raw(key, v.to_string())
    }

    /// A string member.
    pub fn text(self, key: &str, v: &str) -> Object {
        self.raw(key, string(v))
    }

    /// The object's text, its keys in sorted order.
    pub fn write(mut self) -> String {
        crate::engine::sort::sort_by(&mut self.0, |a, b| a.0.cmp(&b.0));
        let members: Vec<String> = self.0.iter().map(|(k, v)| format!("{}:{v}", string(k))).collect();
        format!("{{{}}}", members.join(","))
    }
}

/// An array of JSON texts.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

/// A string, quoted and escaped as `serde_json` does: `"` and `\`, the
/// short escapes `\b \f \n \r \t`, other control characters as `\u00xx`.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as `serde_json` writes it: `null` when not finite, else `ryu`'s
/// layout of the shortest digits that read back to it: `12.0`, `0.001`, `1e-7`,
/// `1.5e+300`.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "null".to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // The shortest digits' count, then that many digits rounded from the
    // exact value, ties to even: where two such decimals are equally near
    // (2086845729129147.25), `{:e}` takes the upper and `ryu` the even one.
    let shortest = format!("{:e}", v.abs());
    let n = shortest.split_once('e').map_or(1, |(m, _)| m.chars().filter(char::is_ascii_digit).count());
    let sci = format!("{:.*e}", n.saturating_sub(1), v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let exp: i32 = exp.parse().unwrap_or(0);
    // The value is 0.d₁d₂…dₙ × 10^kk, as `ryu` counts.
    let (n, kk) = (digits.len() as i32, exp + 1);
    let sign = if v < 0.0 { "-" } else { "" };
    let body = if n <= kk && kk <= 16 {
        format!("{digits}{}.0", "0".repeat((kk - n) as usize))
    } else if 0 < kk && kk <= 16 {
        format!("{}.{}", &digits[..kk as usize], &digits[kk as usize..])
    } else if -5 < kk && kk <= 0 {
        format!("0.{}{digits}", "0".repeat((-kk) as usize))
    } else {
        let e = kk - 1;
        let e = if e < 0 { format!("e{e}") } else { format!("e+{e}") };
        if n == 1 { format!("{digits}{e}") } else { format!("{}.{}{e}", &digits[..1], &digits[1..]) }
    };
    format!("{sign}{body}")
}
