//! Writes a generated GDV portfolio for benchmarks: `cargo run --release -p gdv --features
//! corpus --example portfolio -- OUT CUSTOMERS CONTRACTS_PER_CUSTOMER`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, customers, per] = args.as_slice() else {
        eprintln!("usage: portfolio OUT CUSTOMERS CONTRACTS_PER_CUSTOMER");
        std::process::exit(2);
    };
    let (Ok(customers), Ok(per)) = (customers.parse(), per.parse()) else {
        eprintln!("CUSTOMERS and CONTRACTS_PER_CUSTOMER are numbers");
        std::process::exit(2);
    };
    let bytes = gdv::corpus::portfolio(customers, per, 1);
    if let Err(e) = std::fs::write(out, &bytes) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!("{out}: {customers} customers, {} contracts, {} bytes", customers * per, bytes.len());
}
