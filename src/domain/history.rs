//! The portal's TFA history from its audit trail (§11): which actions count,
//! and how answers from a plan without the audit option are recognised.

/// The TFA actions of DocSpace's `MessageAction`.
pub const TFA_ACTIONS: [u32; 6] = [6036, 6037, 6038, 6005, 4032, 4033];

/// Whether `action_id` is a TFA event.
pub fn is_tfa(action_id: u32) -> bool {
    TFA_ACTIONS.contains(&action_id)
}

/// What a set of answers to per-action requests says about the plan: when
/// an answer holds an event of another action than the one asked for, the
/// server ignored the filter (no audit option: the latest 20 of any kind).
pub fn only_latest(asked: &[(u32, Vec<u32>)]) -> bool {
    asked
        .iter()
        .any(|(action, got)| got.iter().any(|g| g != action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfa_actions_and_the_plan_gate() {
        assert!(is_tfa(6038) && is_tfa(4033) && !is_tfa(1021));
        assert!(!only_latest(&[(6038, vec![6038, 6038]), (4033, vec![])]));
        assert!(only_latest(&[(6038, vec![5000, 6038])]));
    }
}
