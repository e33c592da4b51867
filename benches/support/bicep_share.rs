//! The Bicep share of the benchmark corpus: every ARM template of `../shared/bench/synthetic`
//! written again in Bicep, with the settings `spec.tsv` records for it, so a scan of the share
//! yields the findings the ARM half yields. A template whose SKU is a parameter takes it from a
//! `.bicepparam` file every fourth time.

use std::fs;
use std::io;
use std::path::Path;

/// The settings of one generated registry, as `spec.tsv` records them.
struct Registry<'a> {
    /// The ARM template's path in the synthetic tree, `arm/g00/acr_0000.json`.
    file: &'a str,
    sku_as_parameter: bool,
    sku: &'a str,
    admin: bool,
    anonymous_pull: bool,
    public_network: bool,
    zone_redundant: bool,
    georeplica: bool,
    quarantine: bool,
    retention_days: Option<&'a str>,
    trust: bool,
    data_endpoint: bool,
    network_default_action: Option<&'a str>,
    export_policy: bool,
}

impl<'a> Registry<'a> {
    fn from_spec_line(line: &'a str) -> Option<Self> {
        let fields: Vec<&str> = line.split('\t').collect();
        let [
            kind,
            file,
            _,
            sku,
            admin,
            anon,
            public,
            zone,
            geo,
            quarantine,
            retention,
            trust,
            data,
            action,
            export,
        ] = fields[..]
        else {
            return None;
        };
        let optional = |text: &'a str| (text != "None").then_some(text);
        kind.starts_with("arm").then(|| Registry {
            file,
            sku_as_parameter: kind == "arm(sku-param)",
            sku,
            admin: admin == "True",
            anonymous_pull: anon == "True",
            public_network: public == "True",
            zone_redundant: zone == "True",
            georeplica: geo == "True",
            quarantine: quarantine == "True",
            retention_days: optional(retention),
            trust: trust == "True",
            data_endpoint: data == "True",
            network_default_action: optional(action),
            export_policy: export == "True",
        })
    }

    fn stem(&self) -> &'a str {
        let name = self.file.rsplit('/').next().unwrap_or(self.file);
        name.strip_suffix(".json").unwrap_or(name)
    }

    fn directory(&self) -> &'a str {
        self.file
            .strip_prefix("arm/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("g00")
    }

    fn bicep(&self) -> String {
        let number = self.stem().trim_start_matches("acr_");
        let sku = if self.sku_as_parameter {
            "acrSku".to_string()
        } else {
            quoted(self.sku)
        };
        let mut text = format!(
            "param acrName string = 'acrsynth{number}'\n\
             param location string = resourceGroup().location\n\
             @allowed([\n  'Basic'\n  'Standard'\n  'Premium'\n])\n\
             param acrSku string = '{}'\n\n\
             resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {{\n  \
             name: acrName\n  location: location\n  sku: {{\n    name: {sku}\n  }}\n  properties: {{\n",
            self.sku
        );
        text.push_str(&self.properties());
        text.push_str("  }\n}\n");
        if self.georeplica {
            text.push_str(
                "\nresource replica 'Microsoft.ContainerRegistry/registries/replications@2023-07-01' = {\n  \
                 parent: acr\n  name: 'northeurope'\n  location: 'northeurope'\n  \
                 properties: {\n    zoneRedundancy: 'Enabled'\n  }\n}\n",
            );
        }
        text.push_str("\noutput loginServer string = acr.properties.loginServer\n");
        text
    }

    fn properties(&self) -> String {
        let mut lines = vec![
            format!("adminUserEnabled: {}", self.admin),
            format!(
                "publicNetworkAccess: {}",
                quoted(enabled(self.public_network, "Enabled", "Disabled"))
            ),
        ];
        if self.anonymous_pull {
            lines.push("anonymousPullEnabled: true".to_string());
        }
        if self.sku == "Premium" {
            lines.push(format!(
                "zoneRedundancy: {}",
                quoted(enabled(self.zone_redundant, "Enabled", "Disabled"))
            ));
            lines.push(format!("dataEndpointEnabled: {}", self.data_endpoint));
            lines.push(format!("policies: {{\n{}  }}", self.policies()));
            if let Some(action) = self.network_default_action {
                lines.push(format!(
                    "networkRuleSet: {{\n      defaultAction: {}\n    }}",
                    quoted(action)
                ));
            }
        }
        lines.iter().map(|line| format!("    {line}\n")).collect()
    }

    fn policies(&self) -> String {
        let status = |on: bool| quoted(enabled(on, "enabled", "disabled"));
        let mut text = format!(
            "      quarantinePolicy: {{\n        status: {}\n      }}\n\
             \x20     trustPolicy: {{\n        type: 'Notary'\n        status: {}\n      }}\n\
             \x20     exportPolicy: {{\n        status: {}\n      }}\n",
            status(self.quarantine),
            status(self.trust),
            status(self.export_policy)
        );
        if let Some(days) = self.retention_days {
            text.push_str(&format!(
                "      retentionPolicy: {{\n        days: {days}\n        status: 'enabled'\n      }}\n"
            ));
        }
        text.push_str("  ");
        text
    }

    fn bicepparam(&self) -> String {
        format!(
            "using './{}.bicep'\n\nparam acrSku = '{}'\n",
            self.stem(),
            self.sku
        )
    }
}

fn enabled<'s>(on: bool, yes: &'s str, no: &'s str) -> &'s str {
    if on { yes } else { no }
}

fn quoted(text: &str) -> String {
    format!("'{text}'")
}

/// Writes the Bicep share of the synthetic corpus at `synthetic` into `out` (`out/g00/acr_0000.bicep`
/// and so on, 100 files a directory as in the ARM half), at most `limit` templates, and returns
/// how many `.bicep` files it wrote.
pub fn write_share(synthetic: &Path, out: &Path, limit: usize) -> io::Result<usize> {
    let spec = fs::read_to_string(synthetic.join("spec.tsv"))?;
    let mut written = 0;
    for registry in spec
        .lines()
        .skip(1)
        .filter_map(Registry::from_spec_line)
        .take(limit)
    {
        let directory = out.join(registry.directory());
        fs::create_dir_all(&directory)?;
        fs::write(
            directory.join(format!("{}.bicep", registry.stem())),
            registry.bicep(),
        )?;
        if registry.sku_as_parameter && written % 4 == 0 {
            fs::write(
                directory.join(format!("{}.bicepparam", registry.stem())),
                registry.bicepparam(),
            )?;
        }
        written += 1;
    }
    Ok(written)
}
