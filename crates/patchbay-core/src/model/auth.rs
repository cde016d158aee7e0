//! How the object stores other than S3 prove who they are: Azure's and Google Cloud Storage's
//! auth modes (each uses at most one secret field; `kinds/` says which).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How an Azure storage connection proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AzureAuth {
    /// The account's shared key (SharedKey-signed requests).
    #[default]
    AccountKey,
    /// A shared access signature, account- or container-scoped.
    Sas,
    /// A service principal: tenant id, client id and client secret (OAuth bearer tokens).
    ServicePrincipal,
    /// Whatever the Azure CLI login or a managed identity gives; chosen explicitly, never a
    /// fallback, and nothing secret is saved.
    Ambient,
}

impl AzureAuth {
    pub const ALL: [AzureAuth; 4] = [
        AzureAuth::AccountKey,
        AzureAuth::Sas,
        AzureAuth::ServicePrincipal,
        AzureAuth::Ambient,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AzureAuth::AccountKey => "account_key",
            AzureAuth::Sas => "sas",
            AzureAuth::ServicePrincipal => "service_principal",
            AzureAuth::Ambient => "ambient",
        }
    }

    pub fn parse(s: &str) -> Option<AzureAuth> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "account_key" | "key" | "shared_key" => Some(AzureAuth::AccountKey),
            "sas" | "sas_token" => Some(AzureAuth::Sas),
            "service_principal" | "sp" => Some(AzureAuth::ServicePrincipal),
            "ambient" | "cli" | "azure_cli" | "managed_identity" => Some(AzureAuth::Ambient),
            _ => None,
        }
    }
}

/// How a Google Cloud Storage connection proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GcsAuth {
    /// A service account's JSON key (a self-signed RS256 token per request).
    #[default]
    ServiceAccount,
    /// An HMAC key, spoken through the S3-interoperable XML API (SigV4).
    Hmac,
    /// Application default credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud's); chosen
    /// explicitly, never a fallback, and nothing secret is saved.
    ApplicationDefault,
}

impl GcsAuth {
    pub const ALL: [GcsAuth; 3] = [
        GcsAuth::ServiceAccount,
        GcsAuth::Hmac,
        GcsAuth::ApplicationDefault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GcsAuth::ServiceAccount => "service_account",
            GcsAuth::Hmac => "hmac",
            GcsAuth::ApplicationDefault => "application_default",
        }
    }

    pub fn parse(s: &str) -> Option<GcsAuth> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "service_account" | "key" | "json_key" => Some(GcsAuth::ServiceAccount),
            "hmac" => Some(GcsAuth::Hmac),
            "application_default" | "adc" | "ambient" => Some(GcsAuth::ApplicationDefault),
            _ => None,
        }
    }
}
