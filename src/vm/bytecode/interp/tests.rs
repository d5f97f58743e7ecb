//! Hand-assembled bytecode snippets.
