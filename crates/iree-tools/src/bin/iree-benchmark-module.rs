//! Benchmarks exported functions of compiled IREE modules; flag-compatible
//! with the reference `iree-benchmark-module` for VM-only modules.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = iree_tools::benchmark::main(
        &args,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
