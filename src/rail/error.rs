//! Errors of the rail module.

use std::path::Path;

/// What went wrong while reading a network or routing on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RailError {
    /// A file could not be read.
    #[error(
        "cannot read rail network file {path}: {}",
        crate::error::io_reason(error)
    )]
    Io {
        /// The file.
        path: String,
        /// Why (already part of this error's message, in words without
        /// "(os error 2)").
        error: std::io::Error,
    },
    /// The file's extension says nothing we can read.
    #[error(
        "cannot tell the format of rail network file {path}: use .osm.pbf, .osm, .geojson, .tsv or a graph file from `routemap rail build`"
    )]
    UnknownFormat {
        /// The file.
        path: String,
    },
    /// The file is not valid in its format.
    #[error("cannot read rail network file {path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong, and where when known.
        message: String,
    },
    /// A corridor file row is malformed.
    #[error("{file}:{line}: {message}")]
    Corridor {
        /// The corridor file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the row.
        message: String,
    },
    /// A graph file written by another version of routemap, or damaged.
    #[error("rail graph file {path} is damaged or from another routemap version: rebuild it with `routemap rail build`")]
    BadGraphFile {
        /// The file.
        path: String,
    },
    /// A graph file whose checksum does not match its contents.
    #[error("rail graph file {path} is damaged (checksum mismatch); rebuild it with `routemap rail build FILE --out {path}`")]
    DamagedGraphFile {
        /// The file.
        path: String,
    },
    /// The input holds no usable track.
    #[error("no railway track in {name}: it holds no railway=rail|narrow_gauge|light_rail ways")]
    EmptyNetwork {
        /// The network's name (file name).
        name: String,
    },
    /// Fewer than two stops.
    #[error("a rail route needs at least two stops, got {count}")]
    TooFewStops {
        /// How many were given.
        count: usize,
    },
    /// A stop has no track near it.
    #[error(
        "stop {stop:?} is {distance_km:.1} km from the nearest usable track of {network} (limit {limit_km} km): {advice}"
    )]
    TooFar {
        /// The stop's name or coordinates.
        stop: String,
        /// Distance to the nearest usable track, km (infinite when there is none).
        distance_km: f64,
        /// The snapping limit, km.
        limit_km: f64,
        /// The network's name.
        network: String,
        /// What to do: raise the limit when the track is near, else which
        /// networks there are and how to bring one that covers the stop.
        advice: String,
    },
    /// No legal train path joins two stops.
    #[error(
        "no rail route from {from:?} to {to:?} on {network}: the track is not connected{gauge} or would need a turn sharper than {max_turn_deg}° or a reversal away from a terminus"
    )]
    Unreachable {
        /// The leg's first stop.
        from: String,
        /// The leg's last stop.
        to: String,
        /// The network's name.
        network: String,
        /// " for gauge N mm" when a gauge was required, otherwise empty.
        gauge: String,
        /// The turn limit in force, degrees.
        max_turn_deg: f64,
    },
    /// The path search gave up: it took more steps than any consistent graph
    /// of this size needs (a damaged or hand-made graph whose lengths do not
    /// match its coordinates).
    #[error(
        "no rail route from {from:?} to {to:?} on {network}: the search gave up after {steps} steps, more than a network of this size needs; the network's lengths do not match its coordinates (rebuild a graph file with `routemap rail build`)"
    )]
    SearchLimit {
        /// The leg's first stop.
        from: String,
        /// The leg's last stop.
        to: String,
        /// The network's name.
        network: String,
        /// Steps taken.
        steps: u64,
    },
    /// A routing option is out of range.
    #[error("invalid rail option {name} = {value}: {expected}")]
    BadOption {
        /// The option.
        name: &'static str,
        /// Its value.
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
}

impl RailError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> Self {
        RailError::Io {
            path: path.display().to_string(),
            error,
        }
    }

    pub(crate) fn parse(path: &Path, message: impl Into<String>) -> Self {
        RailError::Parse {
            path: path.display().to_string(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_far_names_stop_and_distance() {
        let e = RailError::TooFar {
            stop: "Moscow".into(),
            distance_km: 12.345,
            limit_km: 5.0,
            network: "x.osm".into(),
            advice: "raise --snap-km or use another rail network".into(),
        };
        assert_eq!(
            e.to_string(),
            "stop \"Moscow\" is 12.3 km from the nearest usable track of x.osm (limit 5 km): raise --snap-km or use another rail network"
        );
    }

    #[test]
    fn unreachable_mentions_gauge() {
        let e = RailError::Unreachable {
            from: "A".into(),
            to: "B".into(),
            network: "n".into(),
            gauge: " for gauge 1435 mm".into(),
            max_turn_deg: 45.0,
        };
        assert!(e.to_string().starts_with(
            "no rail route from \"A\" to \"B\" on n: the track is not connected for gauge 1435 mm"
        ));
    }
}
