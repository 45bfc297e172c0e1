//! Geography: named places (Azure regions, Front Door POP metros, client
//! metros) with coordinates, and round-trip times between them.
//!
//! RTT between two Azure regions comes from the published inter-region table
//! (AZURE_FACTS §6.2, P50, the two directions averaged). Everywhere else a
//! great-circle model is used: `ms_per_100km` per 100 km of distance plus a
//! fixed routing overhead that phases in over the first 200 km, fitted to the
//! §6.2 table (the physical floor is 1 ms per 100 km of fibre, round trip).

use crate::scenario::RttOverride;
use serde::Serialize;

/// Kind of a named place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlaceKind {
    /// An Azure region that can host a stamp.
    Region,
    /// A metro area with a Front Door POP; also usable as a client location.
    Metro,
}

/// A named place with coordinates.
#[derive(Clone, Copy, Debug, Serialize)]
#[non_exhaustive]
pub struct Place {
    /// Name as written in scenario files (`eastus2`, `new_york`).
    pub name: &'static str,
    /// Region or metro.
    pub kind: PlaceKind,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

const fn region(name: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        name,
        kind: PlaceKind::Region,
        lat,
        lon,
    }
}
const fn metro(name: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        name,
        kind: PlaceKind::Metro,
        lat,
        lon,
    }
}

/// Azure regions known to the simulator (datacenter metro coordinates).
pub const REGIONS: &[Place] = &[
    region("eastus2", 36.67, -78.39),
    region("eastus", 37.37, -79.82),
    region("centralus", 41.59, -93.62),
    region("northcentralus", 41.88, -87.63),
    region("southcentralus", 29.42, -98.49),
    region("westcentralus", 41.14, -104.82),
    region("westus", 37.78, -122.42),
    region("westus2", 47.23, -119.85),
    region("westus3", 33.45, -112.07),
    region("canadacentral", 43.65, -79.38),
    region("brazilsouth", -23.55, -46.63),
    region("northeurope", 53.35, -6.26),
    region("westeurope", 52.37, 4.90),
    region("uksouth", 50.94, -0.80),
    region("francecentral", 46.38, 2.37),
    region("germanywestcentral", 50.11, 8.68),
    region("southeastasia", 1.28, 103.83),
    region("eastasia", 22.27, 114.19),
    region("japaneast", 35.68, 139.77),
    region("australiaeast", -33.86, 151.21),
    region("centralindia", 18.58, 73.92),
];

/// Metros with a Front Door POP (AZURE_FACTS §1.1: "over 150 edge locations in
/// more than 100 metros"; these are the 40 largest used here). Any metro is
/// also a valid client location.
pub const METROS: &[Place] = &[
    metro("new_york", 40.71, -74.01),
    metro("ashburn", 39.04, -77.49),
    metro("boston", 42.36, -71.06),
    metro("atlanta", 33.75, -84.39),
    metro("miami", 25.76, -80.19),
    metro("chicago", 41.88, -87.63),
    metro("dallas", 32.78, -96.80),
    metro("houston", 29.76, -95.37),
    metro("kansas_city", 39.10, -94.58),
    metro("minneapolis", 44.98, -93.27),
    metro("denver", 39.74, -104.99),
    metro("phoenix", 33.45, -112.07),
    metro("los_angeles", 34.05, -118.24),
    metro("san_jose", 37.34, -121.89),
    metro("seattle", 47.61, -122.33),
    metro("toronto", 43.65, -79.38),
    metro("montreal", 45.50, -73.57),
    metro("sao_paulo", -23.55, -46.63),
    metro("london", 51.51, -0.13),
    metro("dublin", 53.35, -6.26),
    metro("amsterdam", 52.37, 4.90),
    metro("frankfurt", 50.11, 8.68),
    metro("paris", 48.86, 2.35),
    metro("madrid", 40.42, -3.70),
    metro("milan", 45.46, 9.19),
    metro("zurich", 47.38, 8.54),
    metro("vienna", 48.21, 16.37),
    metro("stockholm", 59.33, 18.07),
    metro("warsaw", 52.23, 21.01),
    metro("dubai", 25.20, 55.27),
    metro("mumbai", 19.08, 72.88),
    metro("chennai", 13.08, 80.27),
    metro("singapore", 1.35, 103.82),
    metro("hong_kong", 22.32, 114.17),
    metro("tokyo", 35.68, 139.69),
    metro("osaka", 34.69, 135.50),
    metro("seoul", 37.57, 126.98),
    metro("sydney", -33.87, 151.21),
    metro("melbourne", -37.81, 144.96),
    metro("johannesburg", -26.20, 28.05),
];

/// Published inter-region RTT, ms, P50 (AZURE_FACTS §6.2, directions averaged).
const PUBLISHED_RTT_MS: &[(&str, &str, f64)] = &[
    ("eastus2", "centralus", 36.5),
    ("eastus2", "westus2", 69.5),
    ("eastus2", "westus3", 53.5),
    ("eastus2", "northeurope", 76.5),
    ("eastus2", "westeurope", 89.0),
    ("eastus2", "southeastasia", 229.5),
    ("eastus2", "eastus", 10.0),
    ("centralus", "westus2", 39.5),
    ("centralus", "westus3", 47.5),
    ("centralus", "northeurope", 102.0),
    ("centralus", "westeurope", 115.5),
    ("centralus", "southeastasia", 198.5),
    ("westus2", "westus3", 41.0),
    ("westus2", "northeurope", 137.0),
    ("westus2", "westeurope", 150.5),
    ("westus2", "southeastasia", 163.0),
    ("westus3", "northeurope", 124.5),
    ("westus3", "westeurope", 138.5),
    ("westus3", "southeastasia", 187.0),
    ("northeurope", "westeurope", 18.0),
    ("northeurope", "southeastasia", 166.0),
    ("westeurope", "southeastasia", 160.5),
];

/// Great-circle model: milliseconds of RTT per 100 km (fitted to §6.2).
pub const MS_PER_100KM: f64 = 1.5;
/// Great-circle model: fixed routing overhead for distant places, ms.
pub const FIXED_OVERHEAD_MS: f64 = 8.0;

/// Looks a place up by name (regions first, then metros).
pub fn place(name: &str) -> Option<&'static Place> {
    REGIONS.iter().chain(METROS.iter()).find(|p| p.name == name)
}

/// Looks an Azure region up by name.
pub fn region_place(name: &str) -> Option<&'static Place> {
    REGIONS.iter().find(|p| p.name == name)
}

/// All known names, for error messages.
pub fn known_region_names() -> Vec<&'static str> {
    REGIONS.iter().map(|p| p.name).collect()
}

/// All known metro names, for error messages.
pub fn known_metro_names() -> Vec<&'static str> {
    METROS.iter().map(|p| p.name).collect()
}

/// Great-circle distance in km (haversine; libm for portable results).
pub fn distance_km(a: &Place, b: &Place) -> f64 {
    const R: f64 = 6371.0;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon - a.lon).to_radians();
    let s1 = libm::sin(dla / 2.0);
    let s2 = libm::sin(dlo / 2.0);
    let h = s1 * s1 + libm::cos(la1) * libm::cos(la2) * s2 * s2;
    2.0 * R * libm::asin(h.sqrt().min(1.0))
}

/// The published RTT between two regions, if §6.2 lists the pair.
pub fn published_rtt_ms(a: &str, b: &str) -> Option<f64> {
    PUBLISHED_RTT_MS
        .iter()
        .find(|(x, y, _)| (*x == a && *y == b) || (*x == b && *y == a))
        .map(|(_, _, ms)| *ms)
}

/// Azure region pairs (AZURE_FACTS §6.1). West US 3's pair is one-way: it
/// pairs with East US, whose own pair is West US.
const PAIRS: &[(&str, &str)] = &[
    ("eastus2", "centralus"),
    ("centralus", "eastus2"),
    ("eastus", "westus"),
    ("westus", "eastus"),
    ("westus2", "westcentralus"),
    ("westcentralus", "westus2"),
    ("westus3", "eastus"),
    ("northeurope", "westeurope"),
    ("westeurope", "northeurope"),
    ("southeastasia", "eastasia"),
    ("eastasia", "southeastasia"),
];

/// The region `name` is paired with (AZURE_FACTS §6.1), if the facts sheet lists it.
pub fn pair_of(name: &str) -> Option<&'static str> {
    PAIRS.iter().find(|(a, _)| *a == name).map(|(_, b)| *b)
}

/// The great-circle model's RTT, ms.
pub fn modelled_rtt_ms(a: &Place, b: &Place) -> f64 {
    let d = distance_km(a, b);
    d / 100.0 * MS_PER_100KM + FIXED_OVERHEAD_MS * (d / 200.0).min(1.0)
}

/// RTT between two places, ms: the published figure where known, else the
/// great-circle model.
pub fn rtt_ms(a: &Place, b: &Place) -> f64 {
    if a.name == b.name {
        return 0.0;
    }
    published_rtt_ms(a.name, b.name).unwrap_or_else(|| modelled_rtt_ms(a, b))
}

/// RTT between two places, ms, with the scenario's explicit overrides first
/// (either order of the pair), then [`rtt_ms`].
pub fn rtt_between(overrides: &[RttOverride], a: &Place, b: &Place) -> f64 {
    overrides
        .iter()
        .find(|o| (o.a == a.name && o.b == b.name) || (o.a == b.name && o.b == a.name))
        .map(|o| o.rtt.as_millis_f64())
        .unwrap_or_else(|| rtt_ms(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_wins_in_either_order() {
        let e = place("eastus2").unwrap();
        let c = place("centralus").unwrap();
        let o = [RttOverride {
            a: "centralus".into(),
            b: "eastus2".into(),
            rtt: crate::time::SimDuration::from_millis(5),
        }];
        assert_eq!(rtt_between(&o, e, c), 5.0);
        assert_eq!(rtt_between(&[], e, c), 36.5);
    }

    #[test]
    fn published_pairs_are_used_and_symmetric() {
        let e = place("eastus2").unwrap();
        let c = place("centralus").unwrap();
        assert_eq!(rtt_ms(e, c), 36.5);
        assert_eq!(rtt_ms(c, e), 36.5);
    }

    #[test]
    fn model_tracks_the_published_table_within_35_percent() {
        // An independent check of the fitted constants against every §6.2 pair.
        for (a, b, ms) in PUBLISHED_RTT_MS {
            let m = modelled_rtt_ms(place(a).unwrap(), place(b).unwrap());
            let err = (m - ms).abs() / ms;
            assert!(err < 0.35, "{a}-{b}: model {m:.1} ms vs published {ms} ms");
        }
    }

    #[test]
    fn at_least_thirty_pop_metros_and_seven_regions() {
        assert!(METROS.len() >= 30);
        for r in [
            "eastus2",
            "centralus",
            "westus2",
            "westus3",
            "northeurope",
            "westeurope",
            "southeastasia",
        ] {
            assert!(region_place(r).is_some(), "{r}");
        }
    }

    #[test]
    fn distance_new_york_london_is_about_5570_km() {
        let d = distance_km(place("new_york").unwrap(), place("london").unwrap());
        assert!((d - 5570.0).abs() < 30.0, "{d}");
    }
}
