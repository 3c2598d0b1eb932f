//! DocSpace simulator (placeholder until the foundation lands).
