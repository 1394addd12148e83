//! The built-in corridor network: one TSV file per line in `gazetteer/rail/`.
//!
//! Format (header row, then one row per point in running order; `#` starts a comment
//! line): `seq  name  kind  lat  lon  gauge  source`, optionally followed by `km`.
//! - `kind` is `station` (a named stop), `junction` (a named point where lines meet
//!   that is not a stop) or `shape` (an unnamed point the track passes);
//! - `gauge` is the gauge in mm of the track from this row to the next (`1435;1520`
//!   for dual gauge), empty on the last row;
//! - named rows are shared by every file that names them: that is how lines join.
//!   They must have the same coordinates (within 1 m) in every file.
//! - `km` (optional column) is the published kilometre post of the row, in one
//!   kilometrage per file. Between two rows with kilometre posts the track length is
//!   the difference of the posts, not the length of the drawn line, which cuts the
//!   curves of the real track; the drawn line stays the geometry.

use std::collections::HashMap;

use geo::{Distance, Geodesic, Point};

use super::builder::{parse_gauges, RailNetworkBuilder};
use super::graph::fold;
use super::RailError;

/// Every `gazetteer/rail/*.tsv`, as (file name, contents); listed by `build.rs`.
pub(crate) const BUILTIN: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/rail_corridors.rs"));

/// The corridor files that stay track in the built-in network, where no real
/// track is known; the others only place their cited stations on the real
/// track. `tools/build_rail.py` links their loose ends to the real track.
pub(crate) const TRACK_FILES: &[&str] = &["pyongra.tsv", "rajin-tumangang.tsv", "vostochny.tsv"];

/// Reads only the stations of a corridor file, for stations standing on real
/// track: each is attached to the track within 1 km of it (a station already
/// known by its name is kept as it is).
pub(crate) fn read_stations(
    b: &mut RailNetworkBuilder,
    file: &str,
    text: &str,
) -> Result<(), RailError> {
    let mut header = true;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if std::mem::take(&mut header) {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if cols.len() < 7 || cols[2].trim() != "station" {
            continue;
        }
        let coord = |c: &str| c.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (Some(lat), Some(lon)) = (coord(cols[3]), coord(cols[4])) else {
            return Err(RailError::Corridor {
                file: file.to_string(),
                line: i + 1,
                message: "lat or lon is not a number".into(),
            });
        };
        let name = cols[1].trim();
        if !b.stations.iter().any(|s| fold(&s.name) == fold(name)) {
            b.add_station(name, Point::new(lon, lat));
        }
    }
    Ok(())
}

struct Row {
    name: String,
    kind: String,
    lon: f64,
    lat: f64,
    gauges: Vec<u32>,
    km: Option<f64>,
    line: usize,
}

/// How much shorter than its kilometre posts say a span may be drawn before the
/// posts or the coordinates must be wrong: posts are rounded to 0.1 km, and the
/// drawn line may cut a curve the posts measure around; it may not be longer.
const KM_SLACK_M: f64 = 150.0;

/// Reads one corridor file into the builder. Named nodes are shared across files
/// through the builder's coordinate keys, after checking they agree.
pub(crate) fn read(b: &mut RailNetworkBuilder, file: &str, text: &str) -> Result<(), RailError> {
    let err = |line: usize, message: String| RailError::Corridor {
        file: file.to_string(),
        line,
        message,
    };
    let mut rows = Vec::new();
    let mut header_seen = false;
    let mut has_km = false;
    let mut last_seq: Option<i64> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if !header_seen {
            let want = ["seq", "name", "kind", "lat", "lon", "gauge", "source"];
            if cols.len() < want.len() || cols[..want.len()] != want {
                return Err(err(
                    line,
                    format!(
                        "expected the header row {:?} (then optionally \"km\")",
                        want.join("\t")
                    ),
                ));
            }
            has_km = cols.get(want.len()) == Some(&"km");
            header_seen = true;
            continue;
        }
        if cols.len() < 7 {
            return Err(err(
                line,
                format!("expected 7 tab-separated columns, found {}", cols.len()),
            ));
        }
        let seq: i64 = cols[0]
            .trim()
            .parse()
            .map_err(|_| err(line, format!("seq {:?} is not a whole number", cols[0])))?;
        if last_seq.is_some_and(|l| seq <= l) {
            return Err(err(line, format!("seq {seq} does not increase")));
        }
        last_seq = Some(seq);
        let lat: f64 = cols[3]
            .trim()
            .parse()
            .map_err(|_| err(line, format!("lat {:?} is not a number", cols[3])))?;
        let lon: f64 = cols[4]
            .trim()
            .parse()
            .map_err(|_| err(line, format!("lon {:?} is not a number", cols[4])))?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(err(line, format!("lat {lat}, lon {lon} out of range")));
        }
        let kind = cols[2].trim().to_string();
        let name = cols[1].trim().to_string();
        match kind.as_str() {
            "station" | "junction" if name.is_empty() => {
                return Err(err(line, format!("a {kind} row needs a name")));
            }
            "station" | "junction" | "shape" => {}
            other => {
                return Err(err(
                    line,
                    format!("kind {other:?} is not station, junction or shape"),
                ))
            }
        }
        let gauges = parse_gauges(cols[5]);
        if !cols[5].trim().is_empty() && gauges.is_empty() {
            return Err(err(
                line,
                format!(
                    "gauge {:?} is not millimetres like 1435 or 1435;1520",
                    cols[5]
                ),
            ));
        }
        if kind != "shape" && cols[6].trim().is_empty() {
            return Err(err(line, format!("{name}: a named row needs a source")));
        }
        let km = match cols.get(7).map(|c| c.trim()).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) if !has_km => {
                return Err(err(
                    line,
                    format!("km {c:?} given, but the header has no km column"),
                ))
            }
            Some(c) => match c.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => return Err(err(line, format!("km {c:?} is not a number"))),
            },
        };
        rows.push(Row {
            name,
            kind,
            lon,
            lat,
            gauges,
            km,
            line,
        });
    }
    if rows.len() < 2 {
        return Err(err(
            text.lines().count().max(1),
            "a corridor needs at least two rows".into(),
        ));
    }
    // Named points shared with files read earlier must agree.
    let mut named: HashMap<String, (f64, f64)> = b
        .stations
        .iter()
        .map(|s| (fold(&s.name), (s.lonlat[0], s.lonlat[1])))
        .collect();
    named.extend(b.junctions.iter().map(|(k, v)| (k.clone(), *v)));
    for r in rows.iter().filter(|r| !r.name.is_empty()) {
        let key = fold(&r.name);
        if let Some(&(lon, lat)) = named.get(&key) {
            let d = Geodesic.distance(Point::new(lon, lat), Point::new(r.lon, r.lat));
            if d > 1.0 {
                return Err(err(
                    r.line,
                    format!("{} is {d:.0} m from the point of the same name in another corridor file: use the same coordinates", r.name),
                ));
            }
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| b.coord_node(r.lon, r.lat)).collect();
    kilometre_posts(b, &rows, &ids, &err)?;
    // Runs of rows with the same gauge become one way each.
    let mut start = 0;
    for i in 1..rows.len() {
        let last = i == rows.len() - 1;
        if last || rows[i].gauges != rows[start].gauges {
            b.approximate_way(ids[start..=i].to_vec(), rows[start].gauges.clone());
            start = i;
        }
    }
    for r in &rows {
        match r.kind.as_str() {
            "station" if !b.stations.iter().any(|s| fold(&s.name) == fold(&r.name)) => {
                let id = b.coord_node(r.lon, r.lat);
                b.station_node(&r.name, Some(id), r.lon, r.lat);
            }
            "junction" => {
                b.junctions.insert(fold(&r.name), (r.lon, r.lat));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks the kilometre posts of a file (one direction, never shorter than the
/// drawn line) and records, for every edge between two posts, how much longer the
/// track is than the drawn line.
fn kilometre_posts(
    b: &mut RailNetworkBuilder,
    rows: &[Row],
    ids: &[i64],
    err: &dyn Fn(usize, String) -> RailError,
) -> Result<(), RailError> {
    let posted: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].km.is_some()).collect();
    let mut direction = 0.0;
    for pair in posted.windows(2) {
        let (i, j) = (pair[0], pair[1]);
        let (ki, kj) = (rows[i].km.expect("posted"), rows[j].km.expect("posted"));
        let step = kj - ki;
        if step == 0.0 || (direction != 0.0 && step.signum() != direction) {
            return Err(err(
                rows[j].line,
                format!(
                    "km {kj} does not run on from km {ki} (line {}): the posts must increase, or decrease, all along a file",
                    rows[i].line
                ),
            ));
        }
        direction = step.signum();
        let edges: Vec<f64> = rows[i..=j]
            .windows(2)
            .map(|w| {
                Geodesic.distance(
                    Point::new(w[0].lon, w[0].lat),
                    Point::new(w[1].lon, w[1].lat),
                )
            })
            .collect();
        let drawn: f64 = edges.iter().sum();
        let track = step.abs() * 1000.0;
        if track + KM_SLACK_M < drawn {
            return Err(err(
                rows[j].line,
                format!(
                    "km posts {ki} → {kj} are {:.1} km apart along the track, but the points between them are drawn {:.1} km long: check the km or the coordinates",
                    track / 1000.0,
                    drawn / 1000.0
                ),
            ));
        }
        if drawn > 0.0 {
            let scale = (track / drawn).max(1.0);
            for k in i..j {
                let (a, c) = (ids[k], ids[k + 1]);
                b.edge_scale.insert((a.min(c), a.max(c)), scale);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rail::NetworkInfo;

    fn builder() -> RailNetworkBuilder {
        RailNetworkBuilder::new(NetworkInfo {
            name: "t".into(),
            source: String::new(),
            approximate: true,
        })
    }

    const HEAD: &str = "seq\tname\tkind\tlat\tlon\tgauge\tsource\n";

    #[test]
    fn rejects_bad_rows_with_file_and_line() {
        let text =
            format!("{HEAD}1\tA\tstation\t42.0\t130.0\t1520\tx\n2\t\tshape\tnorth\t130.1\t\t\n");
        let e = read(&mut builder(), "a.tsv", &text).unwrap_err();
        assert_eq!(e.to_string(), "a.tsv:3: lat \"north\" is not a number");
        let text = format!("{HEAD}1\tA\tstop\t42.0\t130.0\t1520\tx\n");
        assert!(read(&mut builder(), "a.tsv", &text)
            .unwrap_err()
            .to_string()
            .contains("kind \"stop\""));
    }

    #[test]
    fn shared_names_must_agree() {
        let mut b = builder();
        read(
            &mut b,
            "a.tsv",
            &format!(
                "{HEAD}1\tA\tstation\t42.0\t130.0\t1520\tx\n2\tB\tstation\t42.1\t130.0\t\tx\n"
            ),
        )
        .unwrap();
        let e = read(
            &mut b,
            "b.tsv",
            &format!(
                "{HEAD}1\tB\tstation\t42.2\t130.0\t1520\tx\n2\tC\tstation\t42.3\t130.0\t\tx\n"
            ),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("b.tsv:2: B is 11"), "{e}");
    }

    const HEAD_KM: &str = "seq\tname\tkind\tlat\tlon\tgauge\tsource\tkm\n";

    fn leg_km(text: &str, from: (&str, f64, f64), to: (&str, f64, f64)) -> f64 {
        use crate::rail::{RailOptions, RailStop};
        let mut b = builder();
        read(&mut b, "k.tsv", text).unwrap();
        let n = b.build().unwrap();
        let legs = n
            .route(
                &[
                    RailStop::named(from.0, Point::new(from.2, from.1)),
                    RailStop::named(to.0, Point::new(to.2, to.1)),
                ],
                &RailOptions::default(),
            )
            .unwrap();
        legs[0].length_m / 1000.0
    }

    #[test]
    fn kilometre_posts_give_the_track_length() {
        // Drawn about 11.6 km long (two chords); the posts say the track is 15 km.
        let text = format!(
            "{HEAD_KM}1\tA\tstation\t42.0\t130.0\t1520\tx\t100\n2\t\tshape\t42.05\t130.02\t1520\t\t\n3\tB\tstation\t42.1\t130.0\t1520\tx\t115\n4\tC\tstation\t42.15\t130.0\t\tx\n"
        );
        let ab = leg_km(&text, ("A", 42.0, 130.0), ("B", 42.1, 130.0));
        assert!((ab - 15.0).abs() < 1e-6, "{ab}");
        // Both ways, and past the last post the drawn length counts: B–C is 0.05° of
        // latitude, 5,553.786 m (GeographicLib: `echo 42.1 130 42.15 130 | GeodSolve -i`).
        let ba = leg_km(&text, ("B", 42.1, 130.0), ("A", 42.0, 130.0));
        assert!((ba - 15.0).abs() < 1e-6, "{ba}");
        let ac = leg_km(&text, ("A", 42.0, 130.0), ("C", 42.15, 130.0));
        assert!((ac - 15.0 - 5.553786).abs() < 1e-5, "{ac}");
    }

    #[test]
    fn kilometre_posts_must_run_one_way_and_not_be_short() {
        let text = format!(
            "{HEAD_KM}1\tA\tstation\t42.0\t130.0\t1520\tx\t100\n2\tB\tstation\t42.1\t130.0\t1520\tx\t105\n"
        );
        let e = read(&mut builder(), "a.tsv", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.tsv:3: km posts 100 → 105 are 5.0 km apart along the track, but the points between them are drawn 11.1 km long"),
            "{e}"
        );
        let text = format!(
            "{HEAD_KM}1\tA\tstation\t42.0\t130.0\t1520\tx\t100\n2\tB\tstation\t42.1\t130.0\t1520\tx\t112\n3\tC\tstation\t42.2\t130.0\t\tx\t111\n"
        );
        let e = read(&mut builder(), "a.tsv", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.tsv:4: km 111 does not run on from km 112"),
            "{e}"
        );
        let text = format!(
            "{HEAD}1\tA\tstation\t42.0\t130.0\t1520\tx\t100\n2\tB\tstation\t42.1\t130.0\t\tx\n"
        );
        let e = read(&mut builder(), "a.tsv", &text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.tsv:2: km \"100\" given, but the header has no km column"
        );
    }

    #[test]
    fn every_builtin_file_reads() {
        let mut b = builder();
        for (f, t) in BUILTIN {
            read(&mut b, f, t).unwrap();
        }
        assert!(BUILTIN.len() >= 5);
    }
}
