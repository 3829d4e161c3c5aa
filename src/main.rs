// glibc's allocator took about 6% of all the CPU in the approvals benchmark (many short-lived
// rows, strings and JSON values per request); mimalloc serves the same for less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    softlanding::cli::main()
}
