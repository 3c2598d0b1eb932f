//! `docspace-sim`: command-line entry point. Parses flags by hand and runs
//! the server from the library until Ctrl-C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use docspace_sim::{AuditPlan, Config, Profile};

const USAGE: &str = "\
docspace-sim: a local stand-in for the ONLYOFFICE DocSpace TFA, people and group API

USAGE:
    docspace-sim [OPTIONS]

OPTIONS:
    --addr HOST:PORT         Listen address (default 127.0.0.1:8080; port 0 picks a free port)
    --profile NAME           seed (default) | docspace-3.6 | docspace-3.7 | docspace-next
    --docspace-version V     Pretend to be release V (X.Y.Z or X.Y.Z.B) of the profile's family:
                             docspace-3.6: 3.6.x and earlier (3.5.x: host-bit CIDR entries fail sign-in);
                             docspace-3.7: 3.7.x (3.7.0 still truncates IPv6 request IPs);
                             docspace-next: after 3.7.2; seed: none. `none` answers
                             settings/version/build without docSpace (default: the profile's release)
    --static-dir DIR         Serve the built panel from DIR at /
    --users N                Add N generated users to the seed portal
    --groups M               Add M generated groups to the seed portal
    --cors-origin ORIGIN     Allow only ORIGIN, with credentials (default: any origin, no credentials)
    --culture TAG            Every user's cultureName, such as ru-RU (default en-US;
                             POST /sim/control/culture changes one user's)
    --audit PLAN             What the plan allows of the audit trail: full (default; filter
                             filters and pages) | last20 (filter answers the latest 20
                             events, every parameter ignored) | none (402)
    --test-control           Enable the /sim/control/ test API
    --sms-available          SMS is available (default in seed)
    --no-sms-available       SMS is not available (default in the docspace-* profiles)
    --quiet                  No banner and no request log
    -h, --help               Show this help

The first line on stdout is always `listening on http://ADDR`.
";

enum Parsed {
    Run(Config),
    Help,
}

fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut c = Config::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--addr" => {
                let v = value(flag)?;
                c.addr = v
                    .parse()
                    .map_err(|_| format!("--addr: not a socket address: {v}"))?;
            }
            "--profile" => {
                let v = value(flag)?;
                c.profile = Profile::parse(&v).ok_or_else(|| {
                    format!(
                        "--profile: unknown profile {v:?} (seed, docspace-3.6, docspace-3.7, docspace-next)"
                    )
                })?;
            }
            "--docspace-version" => c.docspace_version = Some(value(flag)?),
            "--static-dir" => c.static_dir = Some(value(flag)?.into()),
            "--users" => c.users = count(flag, value(flag)?)?,
            "--groups" => c.groups = count(flag, value(flag)?)?,
            "--cors-origin" => c.cors_origin = Some(value(flag)?),
            "--culture" => {
                let v = value(flag)?;
                if v.trim().is_empty() {
                    return Err("--culture: needs a culture name such as ru-RU".into());
                }
                c.culture = Some(v);
            }
            "--audit" => {
                let v = value(flag)?;
                c.audit = AuditPlan::parse(&v)
                    .ok_or_else(|| format!("--audit: unknown plan {v:?} (full, last20, none)"))?;
            }
            "--test-control" if inline.is_none() => c.test_control = true,
            "--sms-available" if inline.is_none() => c.sms_available = Some(true),
            "--no-sms-available" if inline.is_none() => c.sms_available = Some(false),
            "--quiet" if inline.is_none() => c.quiet = true,
            _ => return Err(format!("unknown option: {arg}")),
        }
    }
    c.validate()
        .map_err(|e| format!("--docspace-version: {e}"))?;
    if let Some(dir) = &c.static_dir {
        if !dir.is_dir() {
            return Err(format!("--static-dir: not a directory: {}", dir.display()));
        }
    }
    Ok(Parsed::Run(c))
}

fn count(flag: &str, v: String) -> Result<usize, String> {
    v.parse().map_err(|_| format!("{flag}: not a count: {v}"))
}

fn banner(running: &docspace_sim::Running, config: &Config) -> String {
    let url = running.url();
    let mut b = String::new();
    b.push_str(&format!(
        "DocSpace simulator, profile {} (version {}, SMS {})\n",
        running.profile.name(),
        running
            .docspace_version
            .as_deref()
            .unwrap_or("not reported"),
        if running.sms_available {
            "available"
        } else {
            "not available"
        }
    ));
    if config.static_dir.is_some() {
        b.push_str(&format!("  panel:       {url}/\n"));
    }
    b.push_str(&format!("  API:         {url}/api/2.0/\n"));
    b.push_str("  API keys:    Authorization: Bearer sk-demo-owner (owner), Bearer sk-demo-admin (DocSpace admin)\n");
    b.push_str(
        "               also sk-demo-roomadmin, sk-demo-user, sk-demo-guest, sk-demo-readonly\n",
    );
    b.push_str(&format!(
        "  sign in:     {url}/sim/signin?as=owner&next=/  (sets the asc_auth_key cookie)\n"
    ));
    b.push_str(&format!("  outbox:      {url}/sim/outbox\n"));
    b.push_str("  password:    every user's password is demo-password\n");
    if config.test_control {
        b.push_str(&format!(
            "  control:     {url}/sim/control/ (test control enabled)\n"
        ));
    }
    if let Some(culture) = &config.culture {
        b.push_str(&format!(
            "  culture:     {} for every user\n",
            culture.trim()
        ));
    }
    if config.audit != AuditPlan::Full {
        b.push_str(&format!(
            "  audit:       plan {} (security/audit/events/filter {})\n",
            config.audit.name(),
            if config.audit == AuditPlan::None {
                "answers 402"
            } else {
                "answers the latest 20 events"
            }
        ));
    }
    if config.users > 0 || config.groups > 0 {
        b.push_str(&format!(
            "  portal:      seed plus {} generated users and {} generated groups\n",
            config.users, config.groups
        ));
    }
    b
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Parsed::Run(c)) => c,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("docspace-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("docspace-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let running = match docspace_sim::start(config.clone()).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("docspace-sim: cannot listen on {}: {e}", config.addr);
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", running.url());
        if !config.quiet {
            let _ = write!(out, "{}", banner(&running, &config));
        }
        let _ = out.flush();
        drop(out);
        wait_for_stop().await;
        running.shutdown();
        ExitCode::SUCCESS
    })
}
