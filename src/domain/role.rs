//! A person's role on the portal, and what DocSpace lets each role do.

use crate::t;

/// What the signed-in account is on the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The portal owner.
    Owner,
    /// A DocSpace administrator (not the owner).
    Admin,
    /// A room administrator.
    RoomAdmin,
    /// A user.
    User,
    /// A guest.
    Guest,
}

impl Role {
    /// The role's name, in the current language.
    pub fn label(self) -> String {
        match self {
            Role::Owner => t!(api_role_owner),
            Role::Admin => t!(api_role_admin),
            Role::RoomAdmin => t!(api_role_room_admin),
            Role::User => t!(api_role_user),
            Role::Guest => t!(api_role_guest),
        }
    }

    /// `PUT settings/tfaapp*` needs EditPortalSettings: the owner or an admin (§4.2).
    pub fn can_change_policy(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// `tfaappnewapp` on someone else is the owner's alone (§4.5).
    pub fn can_change_others(self) -> bool {
        self == Role::Owner
    }

    /// `people/filter` refuses guests and plain users (§5).
    pub fn can_search_people(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::RoomAdmin)
    }
}
