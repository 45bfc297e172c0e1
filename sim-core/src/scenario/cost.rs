//! A price table: what the report's monthly cost estimate multiplies.

use super::defaults::*;
use super::*;

/// Example prices (not live ones) for a monthly cost estimate. Cosmos DB's
/// rates come from AZURE_FACTS §5.4; the others are illustrative defaults to
/// replace with your own.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PriceTable {
    /// Label of the currency (default USD).
    #[serde(default = "currency")]
    pub currency: String,
    /// Price of one instance-hour per plan tier (illustrative defaults).
    #[serde(default)]
    pub instance_hour: InstanceHourPrices,
    /// The global router's monthly base fee (illustrative: 330).
    #[serde(default = "gateway_base")]
    pub gateway_base_month: f64,
    /// Per million requests through the router (illustrative: 1.0).
    #[serde(default = "gateway_per_million")]
    pub gateway_per_million_requests: f64,
    /// Provisioned throughput per replica region, RU/s (every region gets the
    /// full amount, AZURE_FACTS §5.4).
    #[serde(default = "provisioned_ru")]
    pub provisioned_ru_per_second: f64,
    /// Per 100 RU/s per hour, single write region: 0.008 (AZURE_FACTS §5.4).
    #[serde(default = "ru_price")]
    pub per_100_ru_hour: f64,
    /// Per 100 RU/s per hour with multi-region writes: 0.016 (AZURE_FACTS §5.4).
    #[serde(default = "ru_price_multi")]
    pub per_100_ru_hour_multi_write: f64,
    /// Egress per GB (illustrative: 0.087).
    #[serde(default = "egress")]
    pub egress_per_gb: f64,
    /// Mean response size, KB (illustrative: 4).
    #[serde(default = "response_kb")]
    pub response_kb: f64,
}

/// Instance-hour prices by plan tier (illustrative defaults).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct InstanceHourPrices {
    /// Basic.
    #[serde(default = "price_basic")]
    pub basic: f64,
    /// Standard.
    #[serde(default = "price_standard")]
    pub standard: f64,
    /// Premium v3.
    #[serde(default = "price_premium")]
    pub premium_v3: f64,
    /// Isolated v2.
    #[serde(default = "price_isolated")]
    pub isolated_v2: f64,
}

impl Default for InstanceHourPrices {
    fn default() -> Self {
        InstanceHourPrices {
            basic: price_basic(),
            standard: price_standard(),
            premium_v3: price_premium(),
            isolated_v2: price_isolated(),
        }
    }
}

impl InstanceHourPrices {
    /// The price of one instance-hour of `sku`.
    pub fn of(&self, sku: Sku) -> f64 {
        match sku {
            Sku::Basic => self.basic,
            Sku::Standard => self.standard,
            Sku::PremiumV3 => self.premium_v3,
            Sku::IsolatedV2 => self.isolated_v2,
        }
    }
}
