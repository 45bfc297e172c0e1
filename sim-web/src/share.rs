//! Share links: the scenario lives in the URL's fragment, so a shared link
//! restores the exact run (scenario and seed). A bundled scenario left as it
//! is travels by name; anything else as base64url-encoded TOML.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use regionsim::{bundled_by_name, Scenario};

/// The fragment (without `#`) that restores `sc`. `bundled` is the name of
/// the bundled scenario the user started from, if any.
pub fn encode(sc: &Scenario, bundled: Option<&str>) -> String {
    if let Some(name) = bundled {
        if let Some(b) = bundled_by_name(name) {
            if Scenario::parse(b.text).ok().as_ref() == Some(sc) {
                return format!("bundled={name}");
            }
        }
    }
    format!("scenario={}", URL_SAFE_NO_PAD.encode(sc.to_toml()))
}

/// What a fragment holds: (scenario text, bundled name if any), or a message.
pub fn decode(fragment: &str) -> Option<Result<(String, Option<String>), String>> {
    let f = fragment.trim_start_matches('#');
    if let Some(name) = f.strip_prefix("bundled=") {
        return Some(match bundled_by_name(name) {
            Some(b) => Ok((b.text.to_string(), Some(name.to_string()))),
            None => Err(format!(
                "the link names a bundled scenario {name:?} that this version does not have"
            )),
        });
    }
    let data = f.strip_prefix("scenario=")?;
    Some(
        URL_SAFE_NO_PAD
            .decode(data.as_bytes())
            .map_err(|e| format!("the link's scenario is damaged ({e}); was it cut short when copied?"))
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "the link's scenario is not text".to_string()))
            .map(|t| (t, None)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use regionsim::HEADLINE;

    #[test]
    fn bundled_scenarios_travel_by_name_and_edits_in_full() {
        let mut sc = Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap();
        let f = encode(&sc, Some(HEADLINE));
        assert_eq!(f, format!("bundled={HEADLINE}"));
        sc.seed = 9;
        let f = encode(&sc, Some(HEADLINE));
        let (text, name) = decode(&f).unwrap().unwrap();
        assert_eq!(name, None);
        assert_eq!(Scenario::parse(&text).unwrap(), sc);
    }

    #[test]
    fn damaged_links_explain_themselves() {
        assert!(decode("scenario=%%%").unwrap().unwrap_err().contains("damaged"));
        assert!(decode("bundled=nope").unwrap().is_err());
        assert!(decode("other=1").is_none());
    }
}
