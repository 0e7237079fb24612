//! Every message between the page and its workers survives the trip: random
//! `Command`s and `Event`s of every variant, with NaN, ±∞, −0 and extreme
//! numbers in every `f64` (and every other field random too), encode and
//! decode to the same value, bit for bit (issue 10, defect 6: JSON wrote
//! NaN and ±∞ as `null`, which the page could not read back).
//!
//! The values are made by [`Arbitrary`], a serde `Deserializer` that invents
//! its input: asked for an `f64` it answers a hostile float, for an enum a
//! random variant, for a sequence a few random elements. So every field of
//! every message type is covered without a generator written per type, and
//! a new variant or field is covered the day it is added.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use hyperlab::engine::rng::Rng;
use hyperlab::worker::protocol::{Command, Event, decode, encode};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// What the generator produced, to check coverage.
#[derive(Default)]
struct Seen {
    /// Variants produced, by enum name.
    variants: BTreeMap<&'static str, BTreeSet<u32>>,
    /// Variants each enum has.
    counts: BTreeMap<&'static str, usize>,
    floats: usize,
    non_finite: usize,
}

/// A serde `Deserializer` that invents a random value of whatever type asks.
struct Arbitrary<'a> {
    rng: &'a RefCell<Rng>,
    seen: &'a RefCell<Seen>,
    depth: usize,
}

impl<'a> Arbitrary<'a> {
    fn below(&self, n: usize) -> usize {
        self.rng.borrow_mut().below(n)
    }

    fn deeper(&self) -> Arbitrary<'a> {
        Arbitrary { rng: self.rng, seen: self.seen, depth: self.depth + 1 }
    }

    fn float(&self) -> f64 {
        let mut seen = self.seen.borrow_mut();
        seen.floats += 1;
        let v = match self.below(9) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => -0.0,
            4 => f64::MAX,
            5 => f64::MIN_POSITIVE / 2.0, // subnormal
            6 => -f64::NAN,
            _ => self.rng.borrow_mut().uniform_in(-1e6, 1e6),
        };
        if !v.is_finite() {
            seen.non_finite += 1;
        }
        v
    }

    fn len(&self) -> usize {
        if self.depth > 4 { 0 } else { self.below(4) }
    }
}

impl<'de> de::Deserializer<'de> for Arbitrary<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("the protocol never needs a self-describing format"))
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_bool(self.below(2) == 0)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_i8(self.rng.borrow_mut().next_u64() as i8)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_i16(self.rng.borrow_mut().next_u64() as i16)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_i32(self.rng.borrow_mut().next_u64() as i32)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_i64(self.rng.borrow_mut().next_u64() as i64)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_u8(self.rng.borrow_mut().next_u64() as u8)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_u16(self.rng.borrow_mut().next_u64() as u16)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_u32(self.rng.borrow_mut().next_u64() as u32)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        // Sizes and counts: small, huge, and in between (usize is read as u64).
        let x = match self.below(3) {
            0 => self.below(10) as u64,
            1 => u64::MAX - self.below(3) as u64,
            _ => self.rng.borrow_mut().next_u64(),
        };
        v.visit_u64(x)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_f32(self.float() as f32)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_f64(self.float())
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_char(['a', 'é', '∞', '\u{0}', '😀'][self.below(5)])
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_string(v)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        let s = ["", "lr=0.1&v=1", "∞ NaN null", "\u{0}\"\\", &"x".repeat(300)][self.below(5)].to_string();
        v.visit_string(s)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_byte_buf(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_byte_buf((0..self.len()).map(|i| i as u8).collect())
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        if self.below(2) == 0 { v.visit_none() } else { v.visit_some(self.deeper()) }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Self::Error> {
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self.deeper())
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        let n = self.len();
        v.visit_seq(Elements { de: self.deeper(), left: n })
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, Self::Error> {
        v.visit_seq(Elements { de: self.deeper(), left: len })
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_seq(Elements { de: self.deeper(), left: len })
    }
    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("no maps in the protocol"))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_seq(Elements { de: self.deeper(), left: fields.len() })
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        // Deep inside a batch, the first variant without fields keeps the value small.
        let index = self.below(variants.len()) as u32;
        {
            let mut seen = self.seen.borrow_mut();
            seen.variants.entry(name).or_default().insert(index);
            seen.counts.insert(name, variants.len());
        }
        v.visit_enum(Variant { de: self.deeper(), index })
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("identifiers come from the enum's variant index"))
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_unit()
    }
    fn is_human_readable(&self) -> bool {
        false
    }
}

struct Elements<'a> {
    de: Arbitrary<'a>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Elements<'_> {
    type Error = de::value::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Self::Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Arbitrary { rng: self.de.rng, seen: self.de.seen, depth: self.de.depth }).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Variant<'a> {
    de: Arbitrary<'a>,
    index: u32,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = de::value::Error;
    type Variant = Arbitrary<'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), Self::Error> {
        let index: de::value::U32Deserializer<de::value::Error> = self.index.into_deserializer();
        Ok((seed.deserialize(index)?, self.de))
    }
}

impl<'de> de::VariantAccess<'de> for Arbitrary<'_> {
    type Error = de::value::Error;
    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Self::Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, Self::Error> {
        v.visit_seq(Elements { de: self, left: len })
    }
    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], v: V) -> Result<V::Value, Self::Error> {
        v.visit_seq(Elements { de: self, left: fields.len() })
    }
}

/// `n` random values of `T` through encode → decode: the same value (its
/// `Debug` text shows every float exactly, NaN as `NaN`) and the same bytes
/// again. Returns what was generated.
fn round_trip<T>(n: usize, seed: u64) -> Seen
where
    T: serde::Serialize + for<'de> serde::Deserialize<'de> + std::fmt::Debug,
{
    let rng = RefCell::new(Rng::new(seed, 0));
    let seen = RefCell::new(Seen::default());
    for i in 0..n {
        let value = T::deserialize(Arbitrary { rng: &rng, seen: &seen, depth: 0 })
            .unwrap_or_else(|e| panic!("the generator could not make value #{i}: {e}"));
        let bytes = encode(&value).unwrap_or_else(|e| panic!("#{i} {value:?}: {e}"));
        let back: T = decode(&bytes).unwrap_or_else(|e| panic!("#{i} {value:?}: {e}"));
        assert_eq!(format!("{back:?}"), format!("{value:?}"), "#{i}");
        assert_eq!(encode(&back).unwrap(), bytes, "#{i}: the bytes of the decoded value differ");
    }
    seen.into_inner()
}

fn assert_covered(seen: &Seen) {
    assert!(seen.non_finite * 5 > seen.floats, "{} of {} floats non-finite", seen.non_finite, seen.floats);
    for (name, &count) in &seen.counts {
        let hit = seen.variants[name].len();
        assert_eq!(hit, count, "only {hit} of `{name}`'s {count} variants were generated");
    }
}

#[test]
fn every_command_survives_the_trip_with_nan_and_infinities() {
    let seen = round_trip::<Command>(3000, 1);
    assert!(seen.counts.contains_key("Command"));
    assert_covered(&seen);
}

#[test]
fn every_event_survives_the_trip_with_nan_and_infinities() {
    let seen = round_trip::<Event>(8000, 2);
    assert!(seen.counts.contains_key("Event") && seen.counts.contains_key("View"));
    assert_covered(&seen);
}

/// A figure travels to the study worker as its own bytes inside
/// `Command::Figure` (so the training worker carries no decoder of it).
#[test]
fn every_figure_survives_the_trip_to_the_worker_that_draws_it() {
    let seen = round_trip::<hyperlab::figure::Figure>(1000, 3);
    assert!(seen.counts.contains_key("Mark"));
    assert_covered(&seen);
}

/// A comparison whose first trials fail reports −∞, and interpolating
/// between such values gives NaN: the event that carried them could not be
/// read back as JSON. Now the curves arrive as they were computed.
#[test]
fn a_comparison_with_failed_first_trials_arrives_intact() {
    use hyperlab::engine::train::Metric;
    use hyperlab::experiment::search::MethodCurve;
    let curve = MethodCurve {
        method: "grid".into(),
        median: vec![f64::NEG_INFINITY, f64::NAN, 0.75],
        q25: vec![f64::NEG_INFINITY; 3],
        q75: vec![f64::INFINITY, 0.8, 0.9],
        epochs: vec![0.0, 12.5, 40.0],
    };
    let event = Event::ComparisonDone { search_id: 7, metric: Metric::Accuracy, curves: vec![curve] };
    let back: Event = decode(&encode(&event).unwrap()).unwrap();
    let Event::ComparisonDone { curves, .. } = back else { panic!("{back:?}") };
    assert_eq!(curves[0].median[0], f64::NEG_INFINITY);
    assert!(curves[0].median[1].is_nan());
    assert_eq!(curves[0].q75[0], f64::INFINITY);
    // What JSON did with it: null, unreadable as a number.
    let json = serde_json::to_string(&curves[0].median).unwrap();
    assert_eq!(json, "[null,null,0.75]");
    assert!(serde_json::from_str::<Vec<f64>>(&json).is_err());
}
