//! Integration tests: each starts the real `folio` binary on 127.0.0.1 with its own data
//! folder (SQLite), or its own PostgreSQL database when FOLIO_TEST_POSTGRES_URL is set,
//! and talks HTTP to it as a browser or script would.

mod access;
mod auth;
mod brand;
mod catalogue;
mod cli;
mod erasure;
mod folder;
mod helpers;
mod imports;
mod mail;
mod mailbox;
mod my_data;
mod passkeys;
mod privacy;
mod rest;
mod schema;
mod second_factor;
mod tenancy;
mod trail;
