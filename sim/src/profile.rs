//! The servers the simulator imitates, and what differs between them (§8,
//! §10). Release-dependent details within one profile are in `version`.

/// How `trustedIps` are validated when `TfaRequestsDto` is bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpCheck {
    /// 3.x: anything is stored as sent.
    None,
    /// The seed contract: every bad entry reported under `$.trustedIps[i]`,
    /// good ones stored trimmed.
    Seed,
    /// `next`'s `[IpAddressOrRange]`: one model error on the property,
    /// keyed `TrustedIps` (§10.14); entries stored as sent.
    Next,
}

/// Which server the simulator imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    /// The contract the product was specified from ("next" validation,
    /// e-mailed confirmation before a change applies).
    #[default]
    Seed,
    /// DocSpace 3.6.x (and, with `--docspace-version`, earlier releases).
    V36,
    /// DocSpace 3.7.1 / 3.7.2.
    V37,
    /// The server after 3.7.2 (§8's "next" column).
    Next,
}

impl Profile {
    pub const ALL: [Profile; 4] = [Profile::Seed, Profile::V36, Profile::V37, Profile::Next];

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Profile::Seed => "seed",
            Profile::V36 => "docspace-3.6",
            Profile::V37 => "docspace-3.7",
            Profile::Next => "docspace-next",
        }
    }

    /// SMS availability when no flag overrides it.
    pub fn default_sms_available(self) -> bool {
        self == Profile::Seed
    }

    /// A DocSpace release rather than the seed contract.
    pub fn is_real(self) -> bool {
        self != Profile::Seed
    }

    /// `GET tfaapp`'s availability key: misspelt up to 3.6.
    pub fn available_key(self) -> &'static str {
        if self == Profile::V36 {
            "avaliable"
        } else {
            "available"
        }
    }

    /// "Not available" is a 405 `CustomHttpException` (seed, next) rather
    /// than a 403 `InvalidOperationException` (3.6, 3.7).
    pub fn not_available_is_405(self) -> bool {
        matches!(self, Profile::Seed | Profile::Next)
    }

    /// The owner guard covers `PUT tfaapp` and `mandatoryUsers` too (3.7.1+);
    /// before, only `tfaappwithlink`'s `id`.
    pub fn owner_guard_everywhere(self) -> bool {
        self != Profile::V36
    }

    /// 3.6.1's `tfaappwithlink` runs the owner guard before the permission
    /// check (§10.11).
    pub fn withlink_guard_first(self) -> bool {
        self == Profile::V36
    }

    /// `tfaapp/confirm` answers `{url, cookieName, cookieValue}` (3.7.1+).
    pub fn confirm_object(self) -> bool {
        matches!(self, Profile::V37 | Profile::Next)
    }

    /// `tfaappwithlink` for an exempt caller fails with a
    /// NullReferenceException (3.7.1–3.7.2).
    pub fn exempt_withlink_fails(self) -> bool {
        self == Profile::V37
    }

    /// How `trustedIps` are checked when a request is bound.
    pub fn ip_check(self) -> IpCheck {
        match self {
            Profile::Seed => IpCheck::Seed,
            Profile::Next => IpCheck::Next,
            Profile::V36 | Profile::V37 => IpCheck::None,
        }
    }

    /// Validation problems answer 400 inside an envelope saying `status: 0,
    /// statusCode: 200`: before the fix for bug 81187 (§10.10).
    pub fn legacy_validation_envelope(self) -> bool {
        self == Profile::V36
    }

    /// `tfaappnewapp` refuses an unknown or empty `id` first (next).
    pub fn newapp_checks_lost_user(self) -> bool {
        self == Profile::Next
    }

    /// The `request-x-real-ip` query parameter names the request IP (every
    /// release; the seed contract does not know it).
    pub fn honours_real_ip_param(self) -> bool {
        self.is_real()
    }
}
