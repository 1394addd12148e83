//! Plain-text and JSON summaries of a route, for the terminal and scripts.

use crate::geodesy::Units;
use crate::route::Route;
use serde_json::json;

/// Formats a distance with thousands separators and a precision suited to
/// its size: `1,696 km`, `55.3 km`, `0.42 km`.
///
/// ```
/// use routemap::geodesy::Units;
/// use routemap::output::table::format_distance;
/// assert_eq!(format_distance(1_695_871.0, Units::Km), "1,696 km");
/// assert_eq!(format_distance(55_321.0, Units::Km), "55.3 km");
/// ```
pub fn format_distance(m: f64, units: Units) -> String {
    let v = units.from_m(m);
    let text = if v >= 100.0 {
        group_thousands(v.round() as u64)
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    format!("{text} {}", units.symbol())
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The table of legs printed by `routemap route`: from, to, distance,
/// cumulative distance and initial bearing, then the total.
pub fn legs_table(route: &Route, units: Units) -> String {
    let stops = route.stops();
    let mut rows: Vec<[String; 6]> = vec![[
        "#".into(),
        "from".into(),
        "to".into(),
        "distance".into(),
        "cumulative".into(),
        "bearing".into(),
    ]];
    for (i, leg) in route.legs().iter().enumerate() {
        rows.push([
            (i + 1).to_string(),
            stops[leg.from].place.name().to_string(),
            stops[leg.to].place.name().to_string(),
            format_distance(leg.distance_m, units),
            format_distance(route.cumulative_m(leg.to), units),
            format!("{:.1}°", leg.initial_bearing_deg),
        ]);
    }
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..6).map(width).collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            // Numbers align right, names left.
            if matches!(c, 0 | 3 | 4 | 5) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            if c < 5 {
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "total {} ({}, {} stops)\n",
        format_distance(route.total_m(), units),
        route.mode(),
        stops.len()
    ));
    // Rail legs: the towns the train passes, one line per leg; on a long
    // leg the most populous, in the order passed (all are in the GeoJSON).
    for (i, leg) in route.legs().iter().enumerate() {
        let Some(rail) = leg.rail.as_ref().filter(|r| !r.places_passed.is_empty()) else {
            continue;
        };
        let places = &rail.places_passed;
        let mut order: Vec<usize> = (0..places.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(places[k].population));
        order.truncate(PLACES_PASSED_SHOWN);
        order.sort_unstable();
        let names: Vec<&str> = order.iter().map(|&k| places[k].name.as_str()).collect();
        let more = match places.len() - names.len() {
            0 => String::new(),
            n => format!(" and {n} smaller towns"),
        };
        out.push_str(&format!(
            "leg {} passes {}{more}\n",
            i + 1,
            names.join(", ")
        ));
    }
    out
}

/// At most this many towns passed are named per leg in the table.
const PLACES_PASSED_SHOWN: usize = 20;

/// The route as one JSON object for scripts (`routemap route --json`):
/// stops with coordinates, legs with distances in the chosen unit.
pub fn route_json(route: &Route, units: Units) -> serde_json::Value {
    // Rounded to 6 decimals; `+ 0.0` turns a -0 into 0.
    let u = |m: f64| (units.from_m(m) * 1e6).round() / 1e6 + 0.0;
    let stops: Vec<_> = route
        .stops()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "index": i,
                "query": s.query,
                "name": s.place.name(),
                "lat": s.place.lat(),
                "lon": s.place.lon(),
                "country": s.place.country(),
                "kind": s.place.kind().as_str(),
                "source": s.place.source(),
                "cumulative": u(route.cumulative_m(i)),
            })
        })
        .collect();
    let legs: Vec<_> = route
        .legs()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "index": i,
                "from": route.stops()[l.from].place.name(),
                "to": route.stops()[l.to].place.name(),
                "distance": u(l.distance_m),
                "straight": u(l.straight_m),
                "cumulative": u(route.cumulative_m(l.to)),
                "initial_bearing_deg": (l.initial_bearing_deg * 1e6).round() / 1e6,
            })
        })
        .collect();
    json!({
        "name": route.name(),
        "mode": route.mode().as_str(),
        "units": units.symbol(),
        "distance": u(route.total_m()),
        "stops": stops,
        "legs": legs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn small_distances_keep_decimals() {
        assert_eq!(format_distance(420.0, Units::Km), "0.42 km");
        assert_eq!(format_distance(1_852.0 * 12.5, Units::Nmi), "12.5 nmi");
    }
}
