//! Design facts a run cannot show (hostname, TLS, gateway tier, WAF, origin
//! lock, logging): read by the design review, never by the simulation.

use super::*;

/// What the design review (`regionsim review`) needs to know beyond the
/// routing and the stamps. It does not change a run. Every field is optional:
/// an absent one is answered "missing", with what to decide.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Design {
    /// The public API hostname clients call, e.g. `api.contoso.com`.
    #[serde(default)]
    pub hostname: Option<String>,
    /// What that hostname's CNAME points at today, e.g.
    /// `contoso-api.azurewebsites.net` (the single-region origin).
    #[serde(default)]
    pub current_target: Option<String>,
    /// Who issues the gateway's TLS certificate (default managed).
    #[serde(default)]
    pub certificate: Certificate,
    /// Front Door tier: WAF managed rules and Private Link need Premium
    /// (AZURE_FACTS §1.6, §1.7).
    #[serde(default)]
    pub gateway_tier: Option<GatewayTier>,
    /// The web application firewall in front of the API.
    #[serde(default)]
    pub waf: Option<Waf>,
    /// How the regional origins refuse traffic that did not come through the
    /// gateway (AZURE_FACTS §1.7, §4.5).
    #[serde(default)]
    pub origin_lock: Option<OriginLock>,
    /// Where the logs go.
    #[serde(default)]
    pub logging: Option<Logging>,
}

impl Design {
    /// The origins refuse calls that did not come through Front Door: a
    /// service-tag lock (with or without the header check), or Private Link,
    /// which exists on Premium only (AZURE_FACTS §1.7).
    pub fn origins_locked(&self) -> bool {
        match self.origin_lock {
            Some(OriginLock::ServiceTag | OriginLock::ServiceTagAndHeader) => true,
            Some(OriginLock::PrivateLink) => self.gateway_tier == Some(GatewayTier::Premium),
            Some(OriginLock::None) | None => false,
        }
    }

    /// The WAF's managed rule sets are in force: asked for, on Premium (§1.6).
    pub fn managed_rules_active(&self) -> bool {
        self.waf == Some(Waf::ManagedRules) && self.gateway_tier == Some(GatewayTier::Premium)
    }
}

/// The gateway's TLS certificate.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Certificate {
    /// Issued and renewed by the gateway (DigiCert for Front Door, §1.8).
    #[default]
    Managed,
    /// Bring your own (from Key Vault).
    Byo,
}

/// Front Door tiers (AZURE_FACTS §1.6, §1.7).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GatewayTier {
    /// Standard: WAF custom rules (incl. rate limits) only, no Private Link.
    Standard,
    /// Premium: WAF managed rule sets and bot protection, Private Link to origins.
    Premium,
}

/// The WAF policy (AZURE_FACTS §1.6).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Waf {
    /// No WAF.
    Off,
    /// Custom rules only (IP/geo filters, rate limits): what Standard offers.
    CustomRules,
    /// Managed rule sets (DRS 2.x) and bot protection: Premium only.
    ManagedRules,
}

/// Origin lock-down (AZURE_FACTS §1.7, §4.5).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OriginLock {
    /// The origins accept anyone.
    None,
    /// Access restriction to the `AzureFrontDoor.Backend` service tag only:
    /// any Front Door profile, including other tenants', still gets through.
    ServiceTag,
    /// Service tag plus the `X-Azure-FDID` header filter with this profile's ID.
    ServiceTagAndHeader,
    /// Private Link from Front Door (Premium): no public exposure at all.
    PrivateLink,
}

/// Log Analytics workspaces (AZURE_FACTS §8).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Logging {
    /// One workspace per regional stamp (shares the stamp's fate).
    #[serde(default)]
    pub per_region: bool,
    /// Region of the global workspace (for global resources, or for
    /// everything when `per_region` is false); absent: none.
    #[serde(default)]
    pub global_region: Option<String>,
}
