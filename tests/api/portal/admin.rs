//! See the module of the pages under test.
