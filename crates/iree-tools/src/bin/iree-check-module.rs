//! Runs each exported function of a module importing `check` as a test;
//! flag- and report-compatible with upstream's `iree-check-module`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = iree_tools::check_module::main(
        &args,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
