//! Building [`MapData`] from the library's own types: a [`Route`] (route
//! map) or a list of [`Place`]s (locator map).

use geo::Coord;

use super::{MapData, MapLeg, MapStop, StopRole};
use crate::gazetteer::Place;
use crate::geodesy::Units;
use crate::route::{Mode, Route};

/// "1,696" for 1696.4: whole units with thousands separators.
pub(crate) fn group_thousands(v: f64) -> String {
    let s = (v.round() as i64).abs().to_string();
    let mut out = String::new();
    if v.round() < 0.0 {
        out.push('-');
    }
    for (n, ch) in s.chars().enumerate() {
        if n > 0 && (s.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A distance label such as "559 km" (one decimal below 10 units).
pub fn distance_label(m: f64, units: Units) -> String {
    let v = units.from_m(m);
    if v < 10.0 {
        format!("{v:.1} {}", units.symbol())
    } else {
        format!("{} {}", group_thousands(v), units.symbol())
    }
}

fn attribution<'a>(places: impl IntoIterator<Item = &'a Place>) -> Vec<String> {
    let geonames = places
        .into_iter()
        .any(|p| p.source().to_ascii_lowercase().contains("geonames"));
    if geonames {
        vec!["Places: GeoNames (CC BY 4.0)".to_owned()]
    } else {
        Vec::new()
    }
}

impl MapData {
    /// A route map: every stop (start, vias, end), every leg with its
    /// distance in `units`, the total in the title. The title is left to
    /// the renderer's default ("First → Last · total") unless set after.
    ///
    /// ```
    /// use routemap::gazetteer::Gazetteer;
    /// use routemap::geodesy::Units;
    /// use routemap::render::MapData;
    /// use routemap::route::{Route, RouteRequest};
    /// let gaz = Gazetteer::builtin()?;
    /// let route = Route::resolve(&gaz, &RouteRequest::new(["Pyongyang", "Khasan"]))?;
    /// let data = MapData::from_route(&route, Units::Km);
    /// assert_eq!(data.legs.len(), 1);
    /// assert!(data.legs[0].label.ends_with(" km"));
    /// assert_eq!(data.route_kind.as_deref(), Some("great circle"));
    /// # Ok::<(), routemap::Error>(())
    /// ```
    pub fn from_route(route: &Route, units: Units) -> MapData {
        let n = route.stops().len();
        let stops = route
            .stops()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let role = StopRole::in_route(i, n);
                MapStop::new(s.place.name(), s.place.lon(), s.place.lat(), role)
            })
            .collect();
        let legs = route
            .legs()
            .iter()
            .map(|l| MapLeg {
                label: distance_label(l.distance_m, units),
                path: l.path.0.iter().map(|c| Coord { x: c.x, y: c.y }).collect(),
            })
            .collect();
        let mut attribution = attribution(route.stops().iter().map(|s| &s.place));
        let route_kind = match (route.mode(), route.network_info()) {
            (Mode::Rail, Some(info)) => {
                if info.source.contains("OpenStreetMap") {
                    attribution.push("Railway: © OpenStreetMap contributors (ODbL)".to_owned());
                }
                if info.approximate {
                    "by rail (approximate track)"
                } else {
                    "by rail"
                }
            }
            (Mode::Rail, None) => "by rail",
            (Mode::Direct, _) => "great circle",
        };
        MapData {
            title: None,
            stops,
            legs,
            total_label: Some(distance_label(route.total_m(), units)),
            route_kind: Some(route_kind.to_owned()),
            attribution,
        }
    }

    /// A locator map of places, without a route.
    ///
    /// ```
    /// use routemap::gazetteer::{Gazetteer, ResolveOptions};
    /// use routemap::render::MapData;
    /// let gaz = Gazetteer::builtin()?;
    /// let seoul = gaz.resolve("Seoul", &ResolveOptions::default())?.place().clone();
    /// let data = MapData::from_places(&[seoul]);
    /// assert_eq!(data.stops.len(), 1);
    /// # Ok::<(), routemap::Error>(())
    /// ```
    pub fn from_places(places: &[Place]) -> MapData {
        MapData {
            title: None,
            stops: places
                .iter()
                .map(|p| MapStop::new(p.name(), p.lon(), p.lat(), StopRole::Place))
                .collect(),
            legs: Vec::new(),
            total_label: None,
            route_kind: None,
            attribution: attribution(places),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_and_group() {
        assert_eq!(distance_label(559_201.95, Units::Km), "559 km");
        assert_eq!(distance_label(1_696_400.0, Units::Km), "1,696 km");
        assert_eq!(distance_label(5_430.0, Units::Km), "5.4 km");
        assert_eq!(distance_label(559_201.95, Units::Mi), "347 mi");
    }
}
