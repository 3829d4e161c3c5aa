// glibc's allocator showed as a twentieth of the server's CPU under load (many short-lived
// rows, strings and JSON values per request); mimalloc serves the same for much less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    softlanding::cli::main()
}
