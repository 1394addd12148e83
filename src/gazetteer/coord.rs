//! Coordinates typed as text: `lat,lon` in decimal degrees.

use super::{place, Place, PlaceKind};
use crate::{Error, Result};

/// Reads `lat,lon` in decimal degrees, with optional hemisphere letters
/// (`39.03N, 125.75E`). Returns `None` when the text is not meant as a
/// coordinate (its first part is not a number).
///
/// # Errors
///
/// [`Error::InvalidCoordinate`] when the text starts like a coordinate but
/// is not a valid one.
pub fn parse_coordinate(text: &str) -> Result<Option<Place>> {
    let Some((a, b)) = text.split_once(',') else {
        return Ok(None);
    };
    let bad = |reason: String| Error::InvalidCoordinate {
        input: text.to_string(),
        reason,
    };
    let Some(lat) = signed_degrees(a, 'N', 'S') else {
        // `NaN,0`, `inf,1`, `1e400,0`: two numbers, one not finite, are a
        // bad coordinate, not a place name ("Nan, TH" still is one).
        if let (Some(y), Some(x)) = (any_degrees(a, 'N', 'S'), any_degrees(b, 'E', 'W')) {
            if !(y.is_finite() && x.is_finite()) {
                return Err(bad("latitude and longitude must be finite numbers".into()));
            }
        }
        return Ok(None);
    };
    if b.contains(',') {
        return Err(bad("expected two numbers, lat,lon".into()));
    }
    let lon = signed_degrees(b, 'E', 'W').ok_or_else(|| match any_degrees(b, 'E', 'W') {
        Some(_) => bad("latitude and longitude must be finite numbers".into()),
        None => bad(format!("longitude {:?} is not a number", b.trim())),
    })?;
    place::check_lat_lon(lat, lon).map_err(bad)?;
    let name = format!("{lat:.4}, {lon:.4}");
    Ok(Some(
        Place::new(format!("point:{lat},{lon}"), name, lat, lon)?
            .with_kind(PlaceKind::Point)
            .with_source("input"),
    ))
}

fn signed_degrees(text: &str, positive: char, negative: char) -> Option<f64> {
    // "nan" and "inf" parse as f64; they are not coordinates.
    any_degrees(text, positive, negative).filter(|v| v.is_finite())
}

/// A number of degrees with an optional hemisphere letter, finite or not.
fn any_degrees(text: &str, positive: char, negative: char) -> Option<f64> {
    let t = text.trim();
    // "NaN" ends in N without being northern.
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    let (num, sign) = match t.chars().last()?.to_ascii_uppercase() {
        c if c == positive => (&t[..t.len() - 1], 1.0),
        c if c == negative => (&t[..t.len() - 1], -1.0),
        _ => (t, 1.0),
    };
    // A typographic minus (U+2212), as copied from many web pages.
    let num = num.trim().replace('\u{2212}', "-");
    let v: f64 = num.parse().ok()?;
    Some(v * sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_lat_lon() {
        let p = parse_coordinate("39.0339, 125.7543").unwrap().unwrap();
        assert_eq!((p.lat(), p.lon()), (39.0339, 125.7543));
        assert_eq!(p.kind(), PlaceKind::Point);
    }

    #[test]
    fn hemisphere_letters() {
        let p = parse_coordinate("33.9S, 18.4W").unwrap().unwrap();
        assert_eq!((p.lat(), p.lon()), (-33.9, -18.4));
    }

    #[test]
    fn typographic_minus() {
        let p = parse_coordinate("\u{2212}6.2, 106.8").unwrap().unwrap();
        assert_eq!(p.lat(), -6.2);
    }

    #[test]
    fn names_are_not_coordinates() {
        assert!(parse_coordinate("Washington, D.C.").unwrap().is_none());
        assert!(parse_coordinate("Pyongyang").unwrap().is_none());
    }

    #[test]
    fn out_of_range_latitude() {
        let e = parse_coordinate("95,10").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid coordinate \"95,10\": latitude 95 is out of range -90..90"
        );
    }

    #[test]
    fn longitude_not_a_number() {
        let e = parse_coordinate("39.0,abc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid coordinate \"39.0,abc\": longitude \"abc\" is not a number"
        );
    }
}
