//! What a link's reader did with a setting it could not use as written:
//! shown whole by the page, refused by the command line.

/// Something in a query that could not be used as written, why, and what
/// happened instead. The page shows it whole; the command line, which
/// refuses rather than falls back, shows the `message` alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key as written in the query.
    pub key: String,
    /// Why (`batch size must be 1..=8 (the training set), got 10`).
    pub message: String,
    pub kind: NoticeKind,
}

/// What the decoder did with a setting it could not use as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Left out: unknown, unreadable, too long, past the caps, or repeated
    /// (the message says which; the default stays, or the last one counts).
    Ignored,
    /// Read, but it does not apply to the rest of the experiment (Adam's
    /// `b1` with SGD); left out.
    DoesNotApply,
    /// Out of range: `used` is what the lab uses instead (the default, or
    /// the nearest value that fits the rest).
    Replaced { used: String },
}

impl Notice {
    pub(crate) fn ignored(key: &str, message: impl Into<String>) -> Notice {
        Notice { key: key.into(), message: message.into(), kind: NoticeKind::Ignored }
    }

    pub(crate) fn does_not_apply(key: &str, message: impl Into<String>) -> Notice {
        Notice { key: key.into(), message: message.into(), kind: NoticeKind::DoesNotApply }
    }
}

impl core::fmt::Display for Notice {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)?;
        match &self.kind {
            NoticeKind::Ignored => Ok(()),
            NoticeKind::DoesNotApply => write!(f, "; ignored"),
            NoticeKind::Replaced { used } => write!(f, "; {used}"),
        }
    }
}
